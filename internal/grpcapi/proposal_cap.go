package grpcapi

import (
	"context"
	"errors"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/store"
)

// cappedMatches makes the cap on open proposals per producer hold when
// proposals race: the count in matchflow.CheckLimits gives the early and
// specific answer, but count-then-insert lets concurrent proposals all pass
// it (issue 10 item 6). Each new match first takes one of the cap's slots
// for every member producer, atomically per slot; a match that is then not
// stored gives them back.
type cappedMatches struct {
	MatchStore
	max int
}

func (c cappedMatches) CreateMatch(ctx context.Context, m *pb.Match, requestID string) (*pb.Match, error) {
	producers := make([]string, 0, len(m.GetMembers()))
	for _, mem := range m.GetMembers() {
		producers = append(producers, mem.GetProducer())
	}
	ok, release, err := c.ClaimProposalSlots(ctx, producers, m.GetName(), c.max)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, status.Error(codes.ResourceExhausted, "a member producer cannot take more proposals now; try again later")
	}
	out, err := c.MatchStore.CreateMatch(ctx, m, requestID)
	// A duplicate is the same match stored already: the slots are its.
	if err != nil && !errors.Is(err, store.ErrAlreadyExists) {
		release()
	}
	return out, err
}
