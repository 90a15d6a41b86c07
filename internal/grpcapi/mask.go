package grpcapi

import (
	"fmt"
	"slices"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/adiekspor/temubisnis/internal/validate"
)

// outputOnly lists, per message, the top-level fields a caller can never
// write (AIP-203); they are ignored on create and refused in an update mask.
var commonOutputOnly = []string{"name", "create_time", "update_time", "etag"}

// maskPaths resolves an update mask (AIP-134) against msg:
//   - no mask: every writable top-level field the caller populated;
//   - "*": every writable top-level field (a full replacement);
//   - otherwise each path, which may be dotted into singular sub-messages and
//     may use proto or JSON field names.
//
// Bad paths are added to v as violations of "update_mask".
func maskPaths(v *validate.Violations, mask *fieldmaskpb.FieldMask, msg proto.Message, outputOnly map[string]bool) []string {
	desc := msg.ProtoReflect().Descriptor()
	writable := func(fd protoreflect.FieldDescriptor) bool { return !outputOnly[string(fd.Name())] }
	if mask == nil || len(mask.GetPaths()) == 0 {
		var paths []string
		msg.ProtoReflect().Range(func(fd protoreflect.FieldDescriptor, _ protoreflect.Value) bool {
			if writable(fd) {
				paths = append(paths, string(fd.Name()))
			}
			return true
		})
		if len(paths) == 0 {
			v.Add("update_mask", "no field to update: name the fields in update_mask or send them with values")
		}
		return paths
	}
	if len(mask.GetPaths()) == 1 && mask.GetPaths()[0] == "*" {
		var paths []string
		fields := desc.Fields()
		for i := 0; i < fields.Len(); i++ {
			if writable(fields.Get(i)) {
				paths = append(paths, string(fields.Get(i).Name()))
			}
		}
		return paths
	}
	if len(mask.GetPaths()) > 100 {
		v.Add("update_mask", "too many paths; at most 100")
		return nil
	}
	var paths []string
	for i, p := range mask.GetPaths() {
		field := fmt.Sprintf("update_mask.paths[%d]", i)
		resolved, err := resolvePath(desc, p)
		top := strings.SplitN(resolved, ".", 2)[0]
		switch {
		case err != nil:
			v.Add(field, err.Error())
		case slices.Contains(commonOutputOnly, top):
			// name and etag identify the write and the times are the
			// server's; a mask built from a round-tripped body (as the
			// REST gateway builds one) names them: ignore them (AIP-203).
		case outputOnly[top]:
			v.Addf(field, "%q is output only and cannot be updated", p)
		default:
			paths = append(paths, resolved)
		}
	}
	return paths
}

// resolvePath turns a mask path into proto field names, checking that every
// segment exists and that only the last one may be repeated or a map.
func resolvePath(desc protoreflect.MessageDescriptor, path string) (string, error) {
	if path == "*" {
		return "", fmt.Errorf("\"*\" must be the only path")
	}
	segs := strings.Split(path, ".")
	out := make([]string, len(segs))
	for i, s := range segs {
		if desc == nil {
			return "", fmt.Errorf("%q: %q is not a message field, so it has no sub-fields", path, segs[i-1])
		}
		fd := desc.Fields().ByName(protoreflect.Name(s))
		if fd == nil {
			fd = desc.Fields().ByJSONName(s)
		}
		if fd == nil {
			return "", fmt.Errorf("%q: no field %q in %s", path, s, desc.Name())
		}
		out[i] = string(fd.Name())
		desc = nil
		if fd.Kind() == protoreflect.MessageKind && !fd.IsList() && !fd.IsMap() {
			desc = fd.Message()
		}
	}
	return strings.Join(out, "."), nil
}

// applyPaths copies the fields at paths from src into dst; a field unset in
// src is cleared in dst.
func applyPaths(dst, src proto.Message, paths []string) {
	for _, p := range paths {
		d, s := dst.ProtoReflect(), src.ProtoReflect()
		segs := strings.Split(p, ".")
		for _, name := range segs[:len(segs)-1] {
			fd := d.Descriptor().Fields().ByName(protoreflect.Name(name))
			d = d.Mutable(fd).Message()
			s = s.Get(fd).Message()
		}
		fd := d.Descriptor().Fields().ByName(protoreflect.Name(segs[len(segs)-1]))
		if s.Has(fd) {
			d.Set(fd, cloneValue(fd, s.Get(fd)))
		} else {
			d.Clear(fd)
		}
	}
}

func cloneValue(fd protoreflect.FieldDescriptor, v protoreflect.Value) protoreflect.Value {
	if fd.Kind() == protoreflect.MessageKind && !fd.IsList() && !fd.IsMap() {
		return protoreflect.ValueOfMessage(proto.Clone(v.Message().Interface()).ProtoReflect())
	}
	// Lists and maps are shared with src, which the handler discards.
	return v
}

// clearFields clears the top-level fields of m named in names: on create,
// the output-only fields a caller sent are dropped rather than refused.
func clearFields(m proto.Message, names map[string]bool) {
	r := m.ProtoReflect()
	for n := range names {
		fd := r.Descriptor().Fields().ByName(protoreflect.Name(n))
		if fd == nil {
			panic(fmt.Sprintf("grpcapi: %s has no field %q", r.Descriptor().FullName(), n))
		}
		r.Clear(fd)
	}
}

// setName sets the name field every resource has (AIP-122).
func setName(m proto.Message, name string) {
	r := m.ProtoReflect()
	r.Set(r.Descriptor().Fields().ByName("name"), protoreflect.ValueOfString(name))
}

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range commonOutputOnly {
		m[n] = true
	}
	for _, n := range names {
		m[n] = true
	}
	return m
}
