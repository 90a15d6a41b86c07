package seed

import (
	"strconv"
	"strings"
	"testing"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// The demo facts the December 2026 audit corrected (shared/domain/
// AUDIT-2026-12.md, items 9 to 12), pinned so that they do not drift back.

// rupiahPerDollar is a round rate for comparing FOB prices in dollars with
// the audit's local prices in rupiah (about 16,000 in 2025).
const rupiahPerDollar = 16_000

func usdCents(m interface {
	GetUnits() int64
	GetNanos() int32
}) int64 {
	return m.GetUnits()*100 + int64(m.GetNanos())/10_000_000
}

// firstNumber reads the leading integer of "25-35" or "40".
func firstNumber(s string) int {
	end := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(s)
	}
	n, _ := strconv.Atoi(s[:end])
	return n
}

// lastNumber reads the trailing integer of "25-35" or "40".
func lastNumber(s string) int {
	i := strings.LastIndexAny(s, "-,")
	n, _ := strconv.Atoi(s[i+1:])
	return n
}

func TestAuditDjembeSizesAreHeights(t *testing.T) {
	d := Demo(fixedNow)
	for _, l := range d.Listings {
		if l.GetCategory() != pb.Category_MUSICAL_INSTRUMENT && !strings.Contains(l.GetName(), "djembe") {
			continue
		}
		a := l.GetAttributes()
		if _, ok := a["size_cm"]; ok {
			t.Errorf("%s still has size_cm; a djembe's size is its height (height_cm)", l.GetName())
		}
		h, ok := a["height_cm"]
		if !ok {
			h, ok = a["heights_cm"]
		}
		if !ok {
			t.Errorf("%s has no height_cm", l.GetName())
			continue
		}
		// Head diameters from TimesIndonesia: 17-19 cm for 40, 22-25 for
		// 50, 27-30 for 60; a head is always much narrower than the drum is
		// high.
		if hd, ok := a["head_diameter_cm"]; ok && lastNumber(hd) >= firstNumber(h) {
			t.Errorf("%s: head %s cm is not narrower than the %s cm height", l.GetName(), hd, h)
		}
	}
}

func TestAuditContainers(t *testing.T) {
	if drumsPerContainer < 3800 || drumsPerContainer > 4000 {
		t.Errorf("a 40-foot container holds %d drums; the audit's sources say 3,800-4,000", drumsPerContainer)
	}
	d := Demo(fixedNow)
	var sevenContainers bool
	for _, p := range d.Producers {
		for _, e := range p.GetExportHistory() {
			n := e.GetNote()
			if strings.Contains(n, "25,000") || strings.Contains(n, "20-foot") {
				t.Errorf("%s: export note %q has the old container figures", p.GetName(), n)
			}
			if strings.Contains(n, "7 containers") {
				sevenContainers = true
				if !strings.Contains(n, "18,500") || !strings.Contains(n, "Shenzhen") || !strings.Contains(n, "Shanghai") {
					t.Errorf("%s: %q; want about 18,500 drums to Shenzhen and Shanghai", p.GetName(), n)
				}
			}
		}
	}
	if !sevenContainers {
		t.Error("the 7-container order is gone from the demo")
	}
	for _, l := range d.Listings {
		if strings.Contains(l.GetName(), "container") && !strings.Contains(l.GetTitle(), "40-foot") {
			t.Errorf("%s: %q does not say 40-foot", l.GetName(), l.GetTitle())
		}
	}
}

// FOB prices within the audit's local ranges: djembe Rp 25,000 to
// 1,000,000 a drum (small plain ones Rp 100-400k, large about Rp 500k),
// small koi Rp 12,000-70,000, 20-30 cm koi about Rp 150,000, good large koi
// Rp 2-3 million, sambal pecel Rp 36-38k a kg ex-works.
func TestAuditPrices(t *testing.T) {
	d := Demo(fixedNow)
	rp := func(cents int64) int64 { return cents * rupiahPerDollar / 100 }
	for _, l := range d.Listings {
		if l.GetPriceMin() == nil || l.GetPriceMin().GetCurrencyCode() != "USD" {
			continue
		}
		lo, hi := rp(usdCents(l.GetPriceMin())), rp(usdCents(l.GetPriceMax()))
		a := l.GetAttributes()
		switch {
		case strings.Contains(l.GetName(), "djembe") && l.GetUnit() == "piece":
			if lo < 25_000 || hi > 1_000_000 {
				t.Errorf("%s: Rp %d-%d a drum, outside Rp 25,000-1,000,000", l.GetName(), lo, hi)
			}
			if h := firstNumber(a["height_cm"]); h > 0 && h <= 30 && hi > 400_000 {
				t.Errorf("%s: a small drum at up to Rp %d; small plain ones are Rp 100-400k", l.GetName(), hi)
			}
		case l.GetCategory() == pb.Category_ORNAMENTAL_FISH:
			size := lastNumber(a["size_cm"])
			switch {
			case size <= 18 && hi > 70_000*3/2:
				t.Errorf("%s: small koi (%s cm) at up to Rp %d; they sell for Rp 12,000-70,000", l.GetName(), a["size_cm"], hi)
			case size <= 40 && hi > 1_000_000:
				t.Errorf("%s: %s cm koi at up to Rp %d", l.GetName(), a["size_cm"], hi)
			case hi > 3_100_000:
				t.Errorf("%s: Rp %d is above good large koi (Rp 2-3 million)", l.GetName(), hi)
			}
		case l.GetCategory() == pb.Category_FOOD && l.GetUnit() == "kg":
			if lo < 30_000 || hi > 45_000 {
				t.Errorf("%s: Rp %d-%d a kg; sambal pecel is about Rp 36-38k a kg", l.GetName(), lo, hi)
			}
		case l.GetCategory() == pb.Category_FOOD && l.GetUnit() == "jar":
			if hi > 30_000 {
				t.Errorf("%s: Rp %d a jar; a 200 g jar sells for about Rp 16,000", l.GetName(), hi)
			}
		}
	}
}

func TestAuditPlacesAndCodes(t *testing.T) {
	d := Demo(fixedNow)
	var city bool
	for _, p := range d.Producers {
		if _, ok := validate.District(p.GetDistrict()); !ok {
			t.Errorf("%s: %q is not accepted as a place of business", p.GetName(), p.GetDistrict())
		}
		city = city || p.GetDistrict() == validate.KotaBlitar
	}
	if !city {
		t.Error("no demo producer in Kota Blitar")
	}
	if got, ok := validate.District("Ngelegok"); !ok || got != "Nglegok" {
		t.Errorf(`District("Ngelegok") = %q, %v; want Nglegok`, got, ok)
	}
	for _, l := range d.Listings {
		if strings.Contains(strings.ToLower(l.GetTitle()), "lamp") && !strings.HasPrefix(l.GetHsCode(), "9405") {
			t.Errorf("%s: HS %s; lamp shades are lighting, heading 9405", l.GetName(), l.GetHsCode())
		}
	}
}

// Japan breeds koi and Indonesia imports Japanese koi: no Japanese buyer of
// Blitar koi is a Niigata breeder, and no request asks for a paper issued
// per consignment as if a farm held it.
func TestAuditKoiBuyersAndRequests(t *testing.T) {
	d := Demo(fixedNow)
	for _, b := range d.Buyers {
		if b.GetCountryCode() == "JP" && strings.Contains(b.GetCity()+b.GetDisplayName(), "Niigata") {
			t.Errorf("%s is a Niigata koi firm", b.GetName())
		}
	}
	for _, r := range d.BuyingRequests {
		for _, typ := range r.GetRequiredCertificationTypes() {
			if shipmentPapers[typ] {
				t.Errorf("%s requires %s, which is issued per consignment", r.GetName(), typ)
			}
		}
		if r.GetDestinationCountryCode() == "JP" && r.GetCategory() == pb.Category_ORNAMENTAL_FISH &&
			!strings.Contains(r.GetDescription(), "confirmed") {
			t.Errorf("%s: a koi request for Japan does not say Japan's conditions must be confirmed first", r.GetName())
		}
	}
}
