package grpcapi

import (
	"context"
	"strconv"
	"strings"

	"google.golang.org/protobuf/types/known/emptypb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/requirement"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// RequirementService implements pb.RequirementServiceServer: the
// requirement catalogue, lookups, readiness and the office's views over
// every firm.
type RequirementService struct {
	pb.UnimplementedRequirementServiceServer
	base
	requirements RequirementStore
	firms        FirmScanner
	producers    ProducerReader
	listings     ListingReader
}

var requirementOutputOnly = set()

const requirementNameHelp = "must be a requirement name like requirements/koi-us-aphis-permit"

func parseRequirementName(name string) (string, bool) {
	ids, ok := parseName(name, "requirements/{}")
	if !ok {
		return "", false
	}
	return ids[0], true
}

var requirementSchema = query.Schema{
	"category":                 {Kind: query.Enum, Enum: pb.Category_CATEGORY_UNSPECIFIED.Descriptor()},
	"hs_prefix":                {Kind: query.String, Prefix: true, Check: validate.HSPrefix},
	"destination_country_code": {Kind: query.Country, Check: func(s string) bool { return s == "" || validate.CountryCode(s) }},
	"kind":                     {Kind: query.Enum, Enum: pb.Requirement_KIND_UNSPECIFIED.Descriptor()},
	"obligation":               {Kind: query.Enum, Enum: pb.Requirement_OBLIGATION_UNSPECIFIED.Descriptor()},
	"responsible_party":        {Kind: query.Enum, Enum: pb.Requirement_PARTY_UNSPECIFIED.Descriptor()},
	"confirmation":             {Kind: query.Enum, Enum: pb.Requirement_CONFIRMATION_UNSPECIFIED.Descriptor()},
	"certification_type":       {Kind: query.String, Check: validate.CertificationType},
}

// CreateRequirement implements RequirementService.
func (s *RequirementService) CreateRequirement(ctx context.Context, req *pb.CreateRequirementRequest) (*pb.Requirement, error) {
	return create(ctx, &s.base, &validate.Violations{}, req.GetRequirement(), createSpec[*pb.Requirement]{
		field: "requirement", outputOnly: requirementOutputOnly,
		check: func(v *validate.Violations, r *pb.Requirement) {
			validate.NormalizeRequirement(r)
			validate.Requirement(v, "requirement", r)
		},
		idField: "requirement_id", id: req.GetRequirementId(), requestID: req.GetRequestId(),
		title: (*pb.Requirement).GetTitle, scope: "requirements",
		name:  func(id string) string { return "requirements/" + id },
		write: s.requirements.CreateRequirement,
	})
}

// GetRequirement implements RequirementService.
func (s *RequirementService) GetRequirement(ctx context.Context, req *pb.GetRequirementRequest) (*pb.Requirement, error) {
	if _, ok := parseRequirementName(req.GetName()); !ok {
		return nil, invalid("name", requirementNameHelp)
	}
	r, err := s.requirements.GetRequirement(ctx, req.GetName())
	return r, s.err(ctx, err)
}

// ListRequirements implements RequirementService.
func (s *RequirementService) ListRequirements(ctx context.Context, req *pb.ListRequirementsRequest) (*pb.ListRequirementsResponse, error) {
	o, fp, err := listArgs{
		pageSize: req.GetPageSize(), pageToken: req.GetPageToken(), filter: req.GetFilter(),
		method: "ListRequirements", schema: requirementSchema,
	}.options()
	if err != nil {
		return nil, err
	}
	items, more, err := s.requirements.ListRequirements(ctx, o)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return &pb.ListRequirementsResponse{Requirements: items, NextPageToken: nextToken(items, more, fp)}, nil
}

// UpdateRequirement implements RequirementService.
func (s *RequirementService) UpdateRequirement(ctx context.Context, req *pb.UpdateRequirementRequest) (*pb.Requirement, error) {
	return update(ctx, &s.base, "requirement", req.GetRequirement(), req.GetUpdateMask(), requirementOutputOnly,
		func(n string) bool { _, ok := parseRequirementName(n); return ok }, requirementNameHelp,
		s.requirements.UpdateRequirement, nil,
		func(cur *pb.Requirement) error {
			validate.NormalizeRequirement(cur)
			var v validate.Violations
			validate.Requirement(&v, "requirement", cur)
			return v.Err()
		})
}

// DeleteRequirement implements RequirementService.
func (s *RequirementService) DeleteRequirement(ctx context.Context, req *pb.DeleteRequirementRequest) (*emptypb.Empty, error) {
	var v validate.Violations
	if _, ok := parseRequirementName(req.GetName()); !ok {
		v.Add("name", requirementNameHelp)
	}
	checkEtag(&v, "etag", req.GetEtag())
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.requirements.DeleteRequirement(ctx, req.GetName(), req.GetEtag()); err != nil {
		return nil, s.err(ctx, err)
	}
	return &emptypb.Empty{}, nil
}

// checkProduct validates a product given as an HS code and/or a category.
func checkProduct(v *validate.Violations, hsCode string, category pb.Category) {
	if hsCode == "" && category == pb.Category_CATEGORY_UNSPECIFIED {
		v.Add("hs_code", "give an HS code (4 to 10 digits) or a category")
	}
	if hsCode != "" && !validate.HSCode(hsCode) {
		v.Add("hs_code", "must be 4, 6, 8 or 10 digits without dots, e.g. 030111")
	}
	if _, ok := pb.Category_name[int32(category)]; !ok {
		v.Add("category", "is not a known category")
	}
}

func checkDestination(v *validate.Violations, field, code string, required bool) {
	switch {
	case code == "" && required:
		v.Add(field, "is required: the ISO 3166-1 alpha-2 code of the destination, e.g. JP")
	case code != "" && !validate.CountryCode(code):
		v.Addf(field, "%q is not an ISO 3166-1 alpha-2 country code", code)
	}
}

// LookupRequirements implements RequirementService.
func (s *RequirementService) LookupRequirements(ctx context.Context, req *pb.LookupRequirementsRequest) (*pb.LookupRequirementsResponse, error) {
	var v validate.Violations
	hs := normalizeHS(req.GetHsCode())
	checkProduct(&v, hs, req.GetCategory())
	dest := upper(req.GetDestinationCountryCode())
	checkDestination(&v, "destination_country_code", dest, true)
	if err := v.Err(); err != nil {
		return nil, err
	}
	all, err := s.requirements.AllRequirements(ctx)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	rows := requirement.Applicable(all, hs, req.GetCategory(), dest)
	resp := &pb.LookupRequirementsResponse{Requirements: rows}
	for _, r := range rows {
		if r.GetConfirmation() == pb.Requirement_TO_VERIFY {
			resp.HasUnconfirmed = true
		}
	}
	return resp, nil
}

// CheckReadiness implements RequirementService.
func (s *RequirementService) CheckReadiness(ctx context.Context, req *pb.CheckReadinessRequest) (*pb.ReadinessReport, error) {
	var v validate.Violations
	name := req.GetName()
	producerID, isListing := parseSubject(&v, name)
	hs, category := normalizeHS(req.GetHsCode()), req.GetCategory()
	if !isListing && producerID != "" {
		checkProduct(&v, hs, category)
	}
	dest := upper(req.GetDestinationCountryCode())
	checkDestination(&v, "destination_country_code", dest, true)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if isListing {
		l, err := s.listings.GetListing(ctx, name)
		if err != nil {
			return nil, s.err(ctx, err)
		}
		hs, category = l.GetHsCode(), l.GetCategory()
	}
	p, err := s.producers.GetProducer(ctx, producerName(producerID))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	all, err := s.requirements.AllRequirements(ctx)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return requirement.Check(all, p, name, hs, category, dest, s.now()), nil
}

// ListTrainingNeeds implements RequirementService.
func (s *RequirementService) ListTrainingNeeds(ctx context.Context, req *pb.ListTrainingNeedsRequest) (*pb.ListTrainingNeedsResponse, error) {
	var v validate.Violations
	if _, ok := pb.Category_name[int32(req.GetCategory())]; !ok {
		v.Add("category", "is not a known category")
	}
	dest := upper(req.GetDestinationCountryCode())
	checkDestination(&v, "destination_country_code", dest, false)
	page := pageOf(&v, req.GetPageSize(), validate.DefaultPageSize, validate.MaxPageSize, req.GetPageToken(),
		"ListTrainingNeeds", req.GetCategory().String(), dest)
	if err := v.Err(); err != nil {
		return nil, err
	}
	all, err := s.requirements.AllRequirements(ctx)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	var producers []*pb.Producer
	if err := s.firms.AllProducers(ctx, func(p *pb.Producer) error { producers = append(producers, p); return nil }); err != nil {
		return nil, s.err(ctx, err)
	}
	var listings []*pb.Listing
	if err := s.firms.AllListings(ctx, func(l *pb.Listing) error { listings = append(listings, l); return nil }); err != nil {
		return nil, s.err(ctx, err)
	}
	needs := requirement.TrainingNeeds(all, producers, listings, req.GetCategory(), dest, s.now())
	resp := &pb.ListTrainingNeedsResponse{}
	resp.Needs, resp.NextPageToken = cut(page, needs)
	return resp, nil
}

// DefaultExpiryHorizonDays is the horizon of ListExpiringCertifications when
// the caller gives none.
const DefaultExpiryHorizonDays = 60

// ListExpiringCertifications implements RequirementService.
func (s *RequirementService) ListExpiringCertifications(ctx context.Context, req *pb.ListExpiringCertificationsRequest) (*pb.ListExpiringCertificationsResponse, error) {
	days := int(req.GetWithinDays())
	if days == 0 {
		days = DefaultExpiryHorizonDays
	}
	var v validate.Violations
	if days < 1 || days > 366 {
		v.Add("within_days", "must be between 1 and 366")
	}
	page := pageOf(&v, req.GetPageSize(), validate.DefaultPageSize, validate.MaxPageSize, req.GetPageToken(),
		"ListExpiringCertifications", strconv.Itoa(days), strconv.FormatBool(req.GetIncludeExpired()))
	if err := v.Err(); err != nil {
		return nil, err
	}
	var producers []*pb.Producer
	if err := s.firms.AllProducers(ctx, func(p *pb.Producer) error { producers = append(producers, p); return nil }); err != nil {
		return nil, s.err(ctx, err)
	}
	certs := requirement.Expiring(producers, days, req.GetIncludeExpired(), s.now())
	resp := &pb.ListExpiringCertificationsResponse{}
	resp.Certifications, resp.NextPageToken = cut(page, certs)
	return resp, nil
}

// normalizeHS drops the dots and spaces people write HS codes with
// ("0301.11.91").
func normalizeHS(s string) string {
	return strings.NewReplacer(".", "", " ", "").Replace(strings.TrimSpace(s))
}

func upper(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }
