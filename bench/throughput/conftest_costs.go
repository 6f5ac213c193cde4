// Measures the two places where the OPA bridge's run differs from conftest's, so that
// bench/throughput.sh can give OPA's time as conftest would spend it.
//
// decode: libopabridge.so receives each query's input as JSON text and decodes it
// (encoding/json, numbers kept as json.Number, as OPA's util.UnmarshalJSON does) before
// handing it to rego.EvalInput. conftest hands rego.Input the value its parser made, so it
// skips that decode; both then pay OPA's own round trip through JSON and conversion to AST
// values. The bench takes this off OPA's time.
//
// parse: the bridge is given documents already parsed; conftest reads and parses its files
// first, as `paved test` does. conftest's YAML parser (parser/yaml in conftest) splits the
// text on "---" lines; a single document is unmarshalled once with sigs.k8s.io/yaml;
// several are unmarshalled one by one, the list marshalled back to YAML and that
// unmarshalled again. sigs.k8s.io/yaml converts YAML to JSON text (go-yaml v2) and decodes
// that. The bench adds this to OPA's time in its last row.
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go run conftest_costs.go \
//	    PARSED_JSON QUERIES_PER_DOCUMENT FILE_LIST
//
// PARSED_JSON is `paved parse --parser yaml FILES` output, whose documents are split as
// opa_driver.py splits them (a top-level array element by element); FILE_LIST holds the
// same FILES, one a line. Prints one JSON object: documents, decode_seconds (every document
// decoded QUERIES_PER_DOCUMENT times), files and parse_seconds (every file read and
// parsed), each the fastest of 3 passes. Built with Debian's Go 1.19 and sigs.k8s.io/yaml
// 1.3 (no download): older and slower than the bridge's Go 1.26, so the decode taken off is
// overstated, and older than conftest's, so the parse added is indicative, not exact.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"

	"sigs.k8s.io/yaml"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr,
			"usage: go run conftest_costs.go PARSED_JSON QUERIES_PER_DOCUMENT FILE_LIST")
		os.Exit(2)
	}
	documents := parsedDocuments(os.Args[1])
	queries, err := strconv.Atoi(os.Args[2])
	check(err)
	paths := lines(os.Args[3])
	decode := fastest(func() {
		for _, document := range documents {
			for q := 0; q < queries; q++ {
				decoder := json.NewDecoder(bytes.NewReader(document))
				decoder.UseNumber()
				var value interface{}
				check(decoder.Decode(&value))
			}
		}
	})
	parse := fastest(func() {
		for _, path := range paths {
			parseFile(path)
		}
	})
	fmt.Printf("{\"documents\": %d, \"decode_seconds\": %.6f, \"files\": %d, \"parse_seconds\": %.6f}\n",
		len(documents), decode.Seconds(), len(paths), parse.Seconds())
}

// fastest runs work three times and returns its shortest time.
func fastest(work func()) time.Duration {
	best := time.Duration(1 << 62)
	for pass := 0; pass < 3; pass++ {
		start := time.Now()
		work()
		if elapsed := time.Since(start); elapsed < best {
			best = elapsed
		}
	}
	return best
}

// parsedDocuments is each document of `paved parse` output as compact JSON text.
func parsedDocuments(path string) [][]byte {
	text, err := os.ReadFile(path)
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
	return documents
}

func lines(path string) []string {
	file, err := os.Open(path)
	check(err)
	defer file.Close()
	var lines []string
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		lines = append(lines, scanner.Text())
	}
	check(scanner.Err())
	return lines
}

// parseFile reads one file as conftest's YAML parser does.
func parseFile(path string) {
	text, err := os.ReadFile(path)
	check(err)
	parts := documentTexts(text)
	var value interface{}
	if len(parts) == 1 {
		check(yaml.Unmarshal(text, &value))
		return
	}
	var values []interface{}
	for _, part := range parts {
		var value interface{}
		check(yaml.Unmarshal(part, &value))
		values = append(values, value)
	}
	again, err := yaml.Marshal(values)
	check(err)
	check(yaml.Unmarshal(again, &value))
}

// documentTexts splits a file on its "---" lines, as conftest does: the line ending is
// the file's ("\r\n" if it has one), and a leading directive stays with the first document.
func documentTexts(text []byte) [][]byte {
	newline := "\n"
	if bytes.Contains(text, []byte("\r\n")) {
		newline = "\r\n"
	}
	separator := []byte(newline + "---" + newline)
	parts := bytes.Split(text, separator)
	if bytes.HasPrefix(text, []byte("%")) && len(parts) > 1 {
		first := append(append(append([]byte{}, parts[0]...), separator...), parts[1]...)
		return append([][]byte{first}, parts[2:]...)
	}
	return parts
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
