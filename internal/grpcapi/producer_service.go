package grpcapi

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/store"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// ProducerService implements pb.ProducerServiceServer: producers and their
// listings (producer_service_listings.go).
type ProducerService struct {
	pb.UnimplementedProducerServiceServer
	base
	producers ProducerStore
	listings  ListingStore
}

var producerOutputOnly = set("verification_state", "verification_note")

// CreateProducer implements ProducerService.
func (s *ProducerService) CreateProducer(ctx context.Context, req *pb.CreateProducerRequest) (*pb.Producer, error) {
	return create(ctx, &s.base, &validate.Violations{}, req.GetProducer(), createSpec[*pb.Producer]{
		field: "producer", outputOnly: producerOutputOnly,
		check: func(v *validate.Violations, p *pb.Producer) {
			validate.NormalizeProducer(p)
			validate.Producer(v, "producer", p)
		},
		idField: "producer_id", id: req.GetProducerId(), requestID: req.GetRequestId(),
		title: (*pb.Producer).GetDisplayName, scope: "producers", name: producerName,
		prepare: func(p *pb.Producer) error {
			// A consolidator may not name itself: the name is known only now.
			if err := s.checkMembers(ctx, p); err != nil {
				return err
			}
			p.VerificationState = pb.VerificationState_UNVERIFIED
			return nil
		},
		write: s.producers.CreateProducer,
	})
}

// checkMembers checks that a consolidator's members exist and are not itself.
func (s *ProducerService) checkMembers(ctx context.Context, p *pb.Producer) error {
	var v validate.Violations
	for i, m := range p.GetMemberProducers() {
		field := fmt.Sprintf("producer.member_producers[%d]", i)
		if m == p.GetName() {
			v.Add(field, "a consolidator cannot list itself as a member")
			continue
		}
		if _, err := s.producers.GetProducer(ctx, m); errors.Is(err, store.ErrNotFound) {
			v.Addf(field, "producer %q does not exist", m)
		} else if err != nil {
			return s.err(ctx, err)
		}
	}
	return v.Err()
}

// GetProducer implements ProducerService.
func (s *ProducerService) GetProducer(ctx context.Context, req *pb.GetProducerRequest) (*pb.Producer, error) {
	if _, ok := parseProducerName(req.GetName()); !ok {
		return nil, invalid("name", "must be a producer name like producers/jimbe-jaya")
	}
	p, err := s.producers.GetProducer(ctx, req.GetName())
	return p, s.err(ctx, err)
}

// ListProducers implements ProducerService.
func (s *ProducerService) ListProducers(ctx context.Context, req *pb.ListProducersRequest) (*pb.ListProducersResponse, error) {
	o, fp, err := listArgs{
		pageSize: req.GetPageSize(), pageToken: req.GetPageToken(), filter: req.GetFilter(),
		method: "ListProducers", schema: producerSchema,
	}.options()
	if err != nil {
		return nil, err
	}
	items, more, err := s.producers.ListProducers(ctx, o)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return &pb.ListProducersResponse{Producers: items, NextPageToken: nextToken(items, more, fp)}, nil
}

// UpdateProducer implements ProducerService.
func (s *ProducerService) UpdateProducer(ctx context.Context, req *pb.UpdateProducerRequest) (*pb.Producer, error) {
	var stored *pb.Producer
	return update(ctx, &s.base, "producer", req.GetProducer(), req.GetUpdateMask(), producerOutputOnly,
		func(n string) bool { _, ok := parseProducerName(n); return ok }, "must be a producer name like producers/jimbe-jaya",
		s.producers.UpdateProducer,
		func(cur *pb.Producer) error { stored = proto.CloneOf(cur); return nil },
		func(cur *pb.Producer) error {
			validate.NormalizeProducer(cur)
			reviewProducer(ctx, stored, cur)
			var v validate.Violations
			validate.Producer(&v, "producer", cur)
			if err := v.Err(); err != nil {
				return err
			}
			return s.checkMembers(ctx, cur)
		})
}

// DeleteProducer implements ProducerService.
func (s *ProducerService) DeleteProducer(ctx context.Context, req *pb.DeleteProducerRequest) (*emptypb.Empty, error) {
	var v validate.Violations
	if _, ok := parseProducerName(req.GetName()); !ok {
		v.Add("name", "must be a producer name like producers/jimbe-jaya")
	}
	checkEtag(&v, "etag", req.GetEtag())
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.producers.DeleteProducer(ctx, req.GetName(), req.GetEtag(), req.GetForce()); err != nil {
		return nil, s.err(ctx, err)
	}
	return &emptypb.Empty{}, nil
}

// VerifyProducer implements ProducerService.
func (s *ProducerService) VerifyProducer(ctx context.Context, req *pb.VerifyProducerRequest) (*pb.Producer, error) {
	var v validate.Violations
	if _, ok := parseProducerName(req.GetName()); !ok {
		v.Add("name", "must be a producer name like producers/jimbe-jaya")
	}
	if _, ok := pb.VerificationState_name[int32(req.GetVerificationState())]; !ok || req.GetVerificationState() == pb.VerificationState_VERIFICATION_STATE_UNSPECIFIED {
		v.Add("verification_state", "must be UNVERIFIED, PENDING_REVIEW, VERIFIED or REJECTED")
	}
	if len(req.GetNote()) > 500 {
		v.Add("note", "must be at most 500 characters")
	}
	checkEtag(&v, "etag", req.GetEtag())
	if err := v.Err(); err != nil {
		return nil, err
	}
	out, err := s.producers.UpdateProducer(ctx, req.GetName(), req.GetEtag(), func(p *pb.Producer) error {
		p.VerificationState, p.VerificationNote = req.GetVerificationState(), req.GetNote()
		return nil
	})
	return out, s.err(ctx, err)
}
