package main

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// upload sends one file as the pages and API clients do: multipart, field "file".
func (a api) upload(path, name string, data []byte) reply {
	a.e.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	f, err := w.CreateFormFile("file", name)
	if err != nil {
		a.e.t.Fatal(err)
	}
	_, _ = f.Write(data)
	_ = w.WriteField("description", "Delibera dell'Assemblea")
	_ = w.Close()
	return a.e.call("POST", a.slug, path, a.token, &b, "Content-Type", w.FormDataContentType())
}

func TestPlanAttachmentsThroughTheAPI(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	udp, assemblea := e.as("udp.valle-trompia", "valle-trompia"), e.as("assemblea.valle-trompia", "valle-trompia")
	coop, other := e.as("coop.valle-trompia", "valle-trompia"), e.as("udp.trento", "trento")
	var p idOnly
	udp.ok("POST", "/api/v1/plans", map[string]any{"title": "Piano con allegati", "start_year": 2024, "end_year": 2026}, &p)
	folder := fmt.Sprintf("/api/v1/attachments/plan/%d", p.ID)

	// A 2 MiB PDF: over the 1 MiB of ordinary bodies, within the uploads' bound.
	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("x"), 2<<20)...)
	r := udp.upload(folder, "delibera 12.pdf", pdf)
	if r.status != http.StatusCreated {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	var a struct {
		ID   int64
		Name string
	}
	r.json(t, &a)

	// Refused by content, whatever the name; the field is named.
	if r := udp.upload(folder, "finta.pdf", []byte("<html><script>alert(1)</script>")); r.status != http.StatusBadRequest || !strings.Contains(string(r.body), `"file"`) {
		t.Errorf("html as pdf: %d %s", r.status, r.body)
	}
	udp.fails("POST", folder, map[string]any{"file": "x"}, 400, "file")

	// Downloaded by who reads the plan, as a download, with its type and nosniff.
	d := assemblea.do("GET", fmt.Sprintf("/api/v1/attachments/%d", a.ID), nil)
	if d.status != http.StatusOK || !bytes.Equal(d.body, pdf) || d.header.Get("Content-Type") != "application/pdf" ||
		d.header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(d.header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("download: %d %v", d.status, d.header)
	}
	var list struct{ Items []struct{ ID int64 } }
	assemblea.ok("GET", folder, nil, &list)
	if len(list.Items) != 1 {
		t.Errorf("list: %+v", list)
	}
	// Not by a cooperative (it cannot read the plan), nor from another district.
	coop.fails("GET", fmt.Sprintf("/api/v1/attachments/%d", a.ID), nil, 404, "")
	coop.fails("GET", folder, nil, 404, "")
	if r := coop.upload(folder, "x.pdf", []byte("%PDF-1.4")); r.status != http.StatusNotFound {
		t.Errorf("coop upload to the plan: %d", r.status)
	}
	other.fails("GET", fmt.Sprintf("/api/v1/attachments/%d", a.ID), nil, 404, "")
	// Removed by the Ufficio di Piano only.
	coop.fails("DELETE", fmt.Sprintf("/api/v1/attachments/%d", a.ID), nil, 404, "")
	udp.ok("DELETE", fmt.Sprintf("/api/v1/attachments/%d", a.ID), nil, nil)
	udp.fails("GET", fmt.Sprintf("/api/v1/attachments/%d", a.ID), nil, 404, "")
}
