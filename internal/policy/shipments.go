package policy

import (
	"fmt"
	"strings"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
)

// shipment is the alias of ShipmentService in the table.
const shipment = "/temubisnis.v1.ShipmentService/"

// Shipments belong to their match: its parties read them and keep the
// papers (the importer files some of them); the member producers, who ship,
// record and change shipments. The trade office does everything.
var shipmentRules = map[string]rule{
	shipment + "CreateShipment": {write: true, check: func(c *call) error {
		return c.shipper(c.req.(*pb.CreateShipmentRequest).GetParent())
	}},
	shipment + "GetShipment": {grantable: true, check: func(c *call) error {
		return c.party(matchOfShipment(c.req.(*pb.GetShipmentRequest).GetName()))
	}},
	shipment + "ListShipments": {grantable: true, check: func(c *call) error {
		r := c.req.(*pb.ListShipmentsRequest)
		if err := c.signedIn(); err != nil {
			return err
		}
		if r.GetParent() != "matches/-" {
			return c.party(r.GetParent())
		}
		switch c.p.Role {
		case auth.RoleProducer:
			r.Filter = and(r.GetFilter(), fmt.Sprintf("producer = %q", c.p.Resource))
		case auth.RoleBuyer:
			r.Filter = and(r.GetFilter(), fmt.Sprintf("buyer = %q", c.p.Resource))
		}
		return nil
	}},
	shipment + "UpdateShipment": {write: true, check: func(c *call) error {
		return c.shipper(matchOfShipment(c.req.(*pb.UpdateShipmentRequest).GetShipment().GetName()))
	}},
	shipment + "UpdateShipmentDocument": {write: true, check: func(c *call) error {
		return c.party(matchOfShipment(c.req.(*pb.UpdateShipmentDocumentRequest).GetName()))
	}},
}

func init() {
	for m, r := range shipmentRules {
		table[m] = r
	}
}

// matchOfShipment returns "matches/m" of "matches/m/shipments/s", or "" for
// a name of another form (the handler then refuses it as invalid).
func matchOfShipment(name string) string {
	m, _, ok := strings.Cut(name, "/shipments/")
	if !ok {
		return ""
	}
	return m
}

// shipper: a member producer of the match; its buyer may read but not
// record shipments.
func (c *call) shipper(match string) error {
	if err := c.party(match); err != nil || c.p.Role == auth.RoleProducer || match == "" {
		return err
	}
	return c.deny("shipments are recorded by the producers who ship and the trade office")
}
