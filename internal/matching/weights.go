package matching

import (
	"fmt"
	"strconv"
	"strings"
)

// weightNames are the criterion names as they appear in CriterionScore and
// in the TEMUBISNIS_MATCH_WEIGHTS setting.
var weightNames = []string{"product", "destination_experience", "quantity", "price", "lead_time", "export_readiness", "trust", "responsiveness"}

func (w *Weights) field(name string) *float64 {
	switch name {
	case "product":
		return &w.Product
	case "destination_experience":
		return &w.DestinationExperience
	case "quantity":
		return &w.Quantity
	case "price":
		return &w.Price
	case "lead_time":
		return &w.LeadTime
	case "export_readiness":
		return &w.ExportReadiness
	case "trust":
		return &w.Trust
	case "responsiveness":
		return &w.Responsiveness
	}
	return nil
}

// ParseWeights reads weights written as "criterion=weight" pairs separated
// by commas, e.g. "price=0.3,trust=0.1". Criteria not named keep their
// default weight; an empty string gives DefaultWeights.
func ParseWeights(s string) (Weights, error) {
	w := DefaultWeights()
	if strings.TrimSpace(s) == "" {
		return w, nil
	}
	for _, pair := range strings.Split(s, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(pair), "=")
		f := w.field(strings.TrimSpace(name))
		if !ok || f == nil {
			return w, fmt.Errorf("match weight %q: want criterion=weight with a criterion among %s", pair, strings.Join(weightNames, ", "))
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err != nil || v < 0 || v > 100 {
			return w, fmt.Errorf("match weight %q: want a number from 0 to 100", pair)
		}
		*f = v
	}
	total := 0.0
	for _, n := range weightNames {
		total += *w.field(n)
	}
	if total == 0 {
		return w, fmt.Errorf("match weights %q: at least one must be positive", s)
	}
	return w, nil
}
