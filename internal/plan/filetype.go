package plan

import (
	"archive/zip"
	"bytes"
	"io"
)

// fileType is a kind of document the district may attach.
type fileType struct {
	ext, mime string
}

var (
	typePDF  = fileType{"pdf", "application/pdf"}
	typeODT  = fileType{"odt", "application/vnd.oasis.opendocument.text"}
	typeODS  = fileType{"ods", "application/vnd.oasis.opendocument.spreadsheet"}
	typeDOCX = fileType{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
	typeXLSX = fileType{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
)

// sniffFile decides a file's type from its content alone: a PDF by its header, the office
// formats by their zip structure (ODF's first entry "mimetype" and its value; OOXML's
// [Content_Types].xml and main part). Anything else, a renamed executable or a macro-enabled
// document included, is refused.
func sniffFile(b []byte) (fileType, bool) {
	if bytes.HasPrefix(b, []byte("%PDF-")) {
		return typePDF, true
	}
	if !bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		return fileType{}, false
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil || len(z.File) == 0 {
		return fileType{}, false
	}
	if z.File[0].Name == "mimetype" {
		switch string(readSmall(z.File[0], 100)) {
		case typeODT.mime:
			return typeODT, true
		case typeODS.mime:
			return typeODS, true
		}
		return fileType{}, false
	}
	names := map[string]bool{}
	for _, f := range z.File {
		names[f.Name] = true
	}
	if !names["[Content_Types].xml"] || names["word/vbaProject.bin"] || names["xl/vbaProject.bin"] {
		return fileType{}, false
	}
	switch {
	case names["word/document.xml"]:
		return typeDOCX, true
	case names["xl/workbook.xml"]:
		return typeXLSX, true
	}
	return fileType{}, false
}

// readSmall reads at most n bytes of a zip entry (the ODF mimetype is a few dozen).
func readSmall(f *zip.File, n int64) []byte {
	r, err := f.Open()
	if err != nil {
		return nil
	}
	defer r.Close()
	b, _ := io.ReadAll(io.LimitReader(r, n))
	return b
}
