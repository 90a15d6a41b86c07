package server

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// route is one REST binding of a gRPC method, read from its
// google.api.http annotation: the same source the gateway was generated
// from, so the two cannot disagree about which paths exist.
type route struct {
	httpMethod string
	fullMethod string // "/temubisnis.v1.ProducerService/GetProducer"
	template   string
	re         *regexp.Regexp
	fields     []string // the path variables' field paths, in group order
}

// routeTable answers, for a REST request, which method it calls, which
// HTTP methods its path allows, and which field each path segment fills.
type routeTable []route

// newRouteTable reads the bindings of every method of services.
func newRouteTable(services ...protoreflect.ServiceDescriptor) (routeTable, error) {
	var t routeTable
	for _, sd := range services {
		methods := sd.Methods()
		for i := range methods.Len() {
			md := methods.Get(i)
			rule, _ := proto.GetExtension(md.Options(), annotations.E_Http).(*annotations.HttpRule)
			if rule == nil {
				continue
			}
			full := fmt.Sprintf("/%s/%s", sd.FullName(), md.Name())
			for _, r := range append([]*annotations.HttpRule{rule}, rule.GetAdditionalBindings()...) {
				verb, tmpl := httpPattern(r)
				if tmpl == "" {
					continue
				}
				re, fields, err := compileTemplate(tmpl)
				if err != nil {
					return nil, fmt.Errorf("route %s %s: %w", verb, tmpl, err)
				}
				t = append(t, route{httpMethod: verb, fullMethod: full, template: tmpl, re: re, fields: fields})
			}
		}
	}
	return t, nil
}

func httpPattern(r *annotations.HttpRule) (method, template string) {
	switch p := r.GetPattern().(type) {
	case *annotations.HttpRule_Get:
		return "GET", p.Get
	case *annotations.HttpRule_Post:
		return "POST", p.Post
	case *annotations.HttpRule_Patch:
		return "PATCH", p.Patch
	case *annotations.HttpRule_Put:
		return "PUT", p.Put
	case *annotations.HttpRule_Delete:
		return "DELETE", p.Delete
	case *annotations.HttpRule_Custom:
		return p.Custom.GetKind(), p.Custom.GetPath()
	}
	return "", ""
}

// compileTemplate turns a path template such as
// "/v1/{name=producers/*/listings/*}:publish" into a regular expression on
// the escaped path, with one group per variable. A "*" segment matches
// anything but "/" and ":", so a custom verb is never taken for part of an
// id (ids never hold ":").
func compileTemplate(tmpl string) (*regexp.Regexp, []string, error) {
	var b strings.Builder
	var fields []string
	b.WriteString("^")
	rest := tmpl
	for rest != "" {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(regexp.QuoteMeta(rest))
			break
		}
		b.WriteString(regexp.QuoteMeta(rest[:open]))
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return nil, nil, fmt.Errorf("unclosed variable")
		}
		v := rest[open+1 : open+end]
		rest = rest[open+end+1:]
		field, pattern, ok := strings.Cut(v, "=")
		if !ok {
			pattern = "*"
		}
		fields = append(fields, field)
		b.WriteString("(")
		for i, seg := range strings.Split(pattern, "/") {
			if i > 0 {
				b.WriteString("/")
			}
			switch seg {
			case "*":
				b.WriteString(`[^/:]+`)
			case "**":
				b.WriteString(`.+`)
			default:
				b.WriteString(regexp.QuoteMeta(seg))
			}
		}
		b.WriteString(")")
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	return re, fields, err
}

// lookup finds the route of method on the escaped path. When the path
// exists but not for method, it returns the methods it allows instead.
func (t routeTable) lookup(method, escapedPath string) (r *route, groups []string, allowed []string) {
	for i := range t {
		m := t[i].re.FindStringSubmatch(escapedPath)
		if m == nil {
			continue
		}
		if t[i].httpMethod == method && r == nil {
			r, groups = &t[i], m[1:]
		}
		if !slices.Contains(allowed, t[i].httpMethod) {
			allowed = append(allowed, t[i].httpMethod)
		}
	}
	slices.Sort(allowed)
	return r, groups, allowed
}

// pathValue unescapes one captured path variable.
func pathValue(escaped string) (string, error) {
	return url.PathUnescape(escaped)
}
