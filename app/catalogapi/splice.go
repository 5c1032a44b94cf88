package catalogapi

import (
	"bytes"

	"github.com/callboard/callboard/app/store"
)

// spliceEntity appends to dst the stored entity of record with uid and etag
// added to its metadata and rels as its relations, copying every other
// byte as stored: a record is json.Marshal of store.Entity, so it starts
// with the entity's object. ok is false for any record of another shape;
// the caller then decodes it (appendEntityJSON).
func spliceEntity(dst, record []byte, uid string, etag []byte, rels []store.Relation) (out []byte, ok bool) {
	const prefix = `{"entity":{`
	if !bytes.HasPrefix(record, []byte(prefix)) {
		return nil, false
	}
	obj := record[len(prefix)-1:]
	end := skipValue(obj, 0)
	if end < 0 {
		return nil, false
	}
	obj = obj[:end]
	mdStart, mdEnd := -1, -1
	i := 1
	for {
		i = skipSpace(obj, i)
		if i >= len(obj) || obj[i] == '}' {
			break
		}
		keyEnd := skipValue(obj, i)
		if keyEnd < 0 || obj[i] != '"' {
			return nil, false
		}
		key := string(obj[i+1 : keyEnd-1])
		i = skipSpace(obj, keyEnd)
		if i >= len(obj) || obj[i] != ':' {
			return nil, false
		}
		i = skipSpace(obj, i+1)
		valEnd := skipValue(obj, i)
		if valEnd < 0 {
			return nil, false
		}
		switch key {
		case "metadata":
			if obj[i] != '{' {
				return nil, false
			}
			mdStart, mdEnd = i, valEnd
		case "relations":
			return nil, false
		}
		i = skipSpace(obj, valEnd)
		if i < len(obj) && obj[i] == ',' {
			i++
		}
	}
	if mdStart < 0 {
		return nil, false
	}
	out = append(dst, obj[:mdEnd-1]...)
	if len(bytes.TrimSpace(obj[mdStart+1:mdEnd-1])) > 0 {
		out = append(out, ',')
	}
	out = append(out, `"uid":`...)
	out = appendString(out, uid)
	out = append(out, `,"etag":"`...)
	out = append(out, etag...) // hexadecimal digits
	out = append(out, '"')
	out = append(out, obj[mdEnd-1:len(obj)-1]...)
	out = append(out, `,"relations":`...)
	out = appendRelations(out, rels)
	return append(out, '}'), true
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue is the index just past the JSON value starting at b[i], or
// -1 when it does not end.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		for j := i + 1; j < len(b); {
			k := bytes.IndexByte(b[j:], '"')
			if k < 0 {
				return -1
			}
			j += k
			// The quote ends the string unless an odd run of
			// backslashes escapes it.
			n := 0
			for n < j-i-1 && b[j-1-n] == '\\' {
				n++
			}
			if n%2 == 0 {
				return j + 1
			}
			j++
		}
		return -1
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				k := skipValue(b, j)
				if k < 0 {
					return -1
				}
				j = k - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(b) && !endsLiteral(b[j]) {
		j++
	}
	return j
}

func endsLiteral(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}
