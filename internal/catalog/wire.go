package catalog

import (
	"unsafe"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// messageField is the number of m's field name, for reading filter fields
// from stored wire forms; it panics on a name m does not have, at start-up.
func messageField(m protoreflect.ProtoMessage, name string) protowire.Number {
	fd := m.ProtoReflect().Descriptor().Fields().ByName(protoreflect.Name(name))
	if fd == nil {
		panic("catalog: " + string(m.ProtoReflect().Descriptor().Name()) + " has no field " + name)
	}
	return fd.Number()
}

// bytesString is v as a string without a copy: v is part of a stored wire
// form, which is never changed in place.
func bytesString(v []byte) string { return unsafe.String(unsafe.SliceData(v), len(v)) }
