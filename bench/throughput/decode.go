// Measures the one step of the OPA bridge's query that conftest does not take, so that
// bench/throughput.sh can give OPA's time as conftest would spend it.
//
// libopabridge.so receives each query's input as JSON text and decodes it (encoding/json,
// numbers kept as json.Number, as OPA's util.UnmarshalJSON does) before handing it to
// rego.EvalInput. conftest hands rego.Input the value its parser made, so it skips that
// decode; both then pay OPA's own round trip through JSON and conversion to AST values.
//
//	go run decode.go PARSED_JSON QUERIES_PER_DOCUMENT
//
// PARSED_JSON is `paved parse --parser yaml FILES` output, whose documents are split as
// opa_driver.py splits them (a top-level array element by element). Prints one JSON object:
// documents, and seconds, the time to decode every document QUERIES_PER_DOCUMENT times
// (the fastest of 3 passes). Built with whatever Go the machine has (Debian's is older and
// slower than the bridge's Go 1.26, so this overstates the decode: OPA's corrected time
// is then an underestimate, which only makes paved's ratio smaller).
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go run decode.go PARSED_JSON QUERIES_PER_DOCUMENT")
		os.Exit(2)
	}
	text, err := os.ReadFile(os.Args[1])
	check(err)
	queries, err := strconv.Atoi(os.Args[2])
	check(err)
	var entries []struct {
		Input json.RawMessage `json:"input"`
	}
	check(json.Unmarshal(text, &entries))
	var documents [][]byte
	add := func(document json.RawMessage) {
		var compact bytes.Buffer
		check(json.Compact(&compact, document))
		documents = append(documents, compact.Bytes())
	}
	for _, entry := range entries {
		var items []json.RawMessage
		if json.Unmarshal(entry.Input, &items) == nil {
			for _, item := range items {
				add(item)
			}
		} else {
			add(entry.Input)
		}
	}
	best := time.Duration(1 << 62)
	for pass := 0; pass < 3; pass++ {
		start := time.Now()
		for _, document := range documents {
			for q := 0; q < queries; q++ {
				decoder := json.NewDecoder(bytes.NewReader(document))
				decoder.UseNumber()
				var value interface{}
				check(decoder.Decode(&value))
			}
		}
		if elapsed := time.Since(start); elapsed < best {
			best = elapsed
		}
	}
	fmt.Printf("{\"documents\": %d, \"seconds\": %f}\n", len(documents), best.Seconds())
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
