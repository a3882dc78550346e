package plan_test

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/plan"
)

// zipOf builds a zip with the given entries, in order.
func zipOf(t *testing.T, entries ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for i := 0; i+1 < len(entries); i += 2 {
		w, err := z.Create(entries[i])
		noError(t, err)
		_, _ = w.Write([]byte(entries[i+1]))
	}
	noError(t, z.Close())
	return b.Bytes()
}

func TestAttachmentsAreTypedByContentAndSizeLimited(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	d.svc.WithAttachmentLimit(1000)
	p, o := d.draft("Piano con allegati")
	pdf := []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF")
	at := func(kind plan.ParentKind, id int64, name string, data []byte) (plan.Attachment, error) {
		return d.svc.Attach(d.ctx, d.udp, plan.AttachmentInput{Parent: plan.Parent{Kind: kind, ID: id}, Name: name, Data: data})
	}

	// The type comes from the content; the name gets the matching extension.
	a, err := at(plan.ParentPlan, p.ID, `C:\delibere\Delibera 12 "2024".exe`, pdf)
	noError(t, err)
	if a.ContentType != "application/pdf" || a.Name != "Delibera 12 2024.pdf" || a.Size != int64(len(pdf)) || a.PlanID != p.ID {
		t.Fatalf("attachment = %+v", a)
	}
	odt := zipOf(t, "mimetype", "application/vnd.oasis.opendocument.text", "content.xml", "<x/>")
	docx := zipOf(t, "[Content_Types].xml", "<x/>", "word/document.xml", "<x/>")
	xlsx := zipOf(t, "[Content_Types].xml", "<x/>", "xl/workbook.xml", "<x/>")
	for name, data := range map[string][]byte{"odt": odt, "docx": docx, "xlsx": xlsx} {
		a, err := at(plan.ParentObjective, o.ID, "scheda", data)
		noError(t, err)
		if !strings.HasSuffix(a.Name, "."+name) {
			t.Errorf("%s: named %q", name, a.Name)
		}
	}

	// Refused by content, whatever the name says; by size; by parent kind.
	for what, data := range map[string][]byte{
		"html":    []byte("<html><script>alert(1)</script>"),
		"exe":     []byte("MZ\x90\x00"),
		"jar":     zipOf(t, "META-INF/MANIFEST.MF", "x"),
		"docm":    zipOf(t, "[Content_Types].xml", "<x/>", "word/document.xml", "<x/>", "word/vbaProject.bin", "x"),
		"empty":   nil,
		"too big": append([]byte("%PDF-"), make([]byte, 1000)...),
		"odf-ish": zipOf(t, "mimetype", "application/x-evil", "content.xml", "<x/>"),
	} {
		_, err := at(plan.ParentPlan, p.ID, "documento.pdf", data)
		wantField(t, err, "file")
		if what == "too big" {
			wantCode(t, err, apperr.Invalid, "at most")
		}
	}
	_, err = at("meeting", 1, "x.pdf", pdf)
	wantField(t, err, "parent_kind")
	_, err = at(plan.ParentObjective, 999999, "x.pdf", pdf)
	wantCode(t, err, apperr.NotFound)

	// Listed by parent, downloaded with its bytes, removed.
	list, err := d.svc.Attachments(d.ctx, d.assemblea, plan.Parent{Kind: plan.ParentObjective, ID: o.ID})
	noError(t, err)
	if len(list) != 3 {
		t.Fatalf("objective attachments = %d, want 3", len(list))
	}
	got, data, err := d.svc.AttachmentFile(d.ctx, d.assemblea, a.ID)
	noError(t, err)
	if got.Name != a.Name || !bytes.Equal(data, pdf) {
		t.Fatalf("downloaded %q (%d bytes)", got.Name, len(data))
	}
	wantCode(t, d.svc.DeleteAttachment(d.ctx, d.asst, a.ID), apperr.Forbidden)
	noError(t, d.svc.DeleteAttachment(d.ctx, d.udp, a.ID))
	_, _, err = d.svc.AttachmentFile(d.ctx, d.udp, a.ID)
	wantCode(t, err, apperr.NotFound)
}

func TestAttachmentsFollowTheirParentsReaders(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	p, o := d.draft("Piano")
	aquilone, err := d.svc.CreatePartner(d.ctx, d.udp, plan.PartnerInput{Code: "laquilone", Name: "Coop. L'Aquilone", Kind: "cooperativa"})
	noError(t, err)
	ponte, err := d.svc.CreatePartner(d.ctx, d.udp, plan.PartnerInput{Code: "ilponte", Name: "Coop. Il Ponte", Kind: "cooperativa"})
	noError(t, err)
	own, err := d.svc.Assign(d.ctx, d.udp, o.ID, plan.AssignmentInput{PartnerID: aquilone.ID, Activity: "CDD"})
	noError(t, err)
	others, err := d.svc.Assign(d.ctx, d.udp, o.ID, plan.AssignmentInput{PartnerID: ponte.ID, Activity: "CSE"})
	noError(t, err)
	coop := d.person("coop-1", "Operatrice Aquilone", "laquilone", "coop")
	pdf := []byte("%PDF-1.4 relazione")
	in := func(kind plan.ParentKind, id int64) plan.AttachmentInput {
		return plan.AttachmentInput{Parent: plan.Parent{Kind: kind, ID: id}, Name: "relazione.pdf", Data: pdf}
	}

	// A cooperative attaches to its own assignment and its reports, never to another's, nor
	// to the plan it cannot read.
	mine, err := d.svc.Attach(d.ctx, coop, in(plan.ParentAssignment, own.ID))
	noError(t, err)
	r, err := d.svc.Report(d.ctx, coop, own.ID, plan.ReportInput{Period: "2024"})
	noError(t, err)
	_, err = d.svc.Attach(d.ctx, coop, in(plan.ParentReport, r.ID))
	noError(t, err)
	_, err = d.svc.Attach(d.ctx, coop, in(plan.ParentAssignment, others.ID))
	wantCode(t, err, apperr.NotFound)
	_, err = d.svc.Attach(d.ctx, coop, in(plan.ParentPlan, p.ID))
	wantCode(t, err, apperr.NotFound)

	// The UdP's file on the other assignment cannot be downloaded by the cooperative.
	theirs, err := d.svc.Attach(d.ctx, d.udp, in(plan.ParentAssignment, others.ID))
	noError(t, err)
	_, _, err = d.svc.AttachmentFile(d.ctx, coop, theirs.ID)
	wantCode(t, err, apperr.NotFound)
	_, err = d.svc.Attachments(d.ctx, coop, plan.Parent{Kind: plan.ParentAssignment, ID: others.ID})
	wantCode(t, err, apperr.NotFound)
	if _, _, err := d.svc.AttachmentFile(d.ctx, coop, mine.ID); err != nil {
		t.Fatalf("own attachment: %v", err)
	}

	// The Assemblea files its delibera on the plan, but not on an objective; health staff
	// only on integrated objectives.
	_, err = d.svc.Attach(d.ctx, d.assemblea, in(plan.ParentPlan, p.ID))
	noError(t, err)
	_, err = d.svc.Attach(d.ctx, d.assemblea, in(plan.ParentObjective, o.ID))
	wantCode(t, err, apperr.Forbidden)
	_, err = d.svc.Attach(d.ctx, d.asst, in(plan.ParentObjective, o.ID))
	wantCode(t, err, apperr.Forbidden)
	// A person of another role (a link worker) sees nothing.
	lw := d.person("lw-1", "Link worker", "", "link_worker")
	_, err = d.svc.Attachments(d.ctx, lw, plan.Parent{Kind: plan.ParentPlan, ID: p.ID})
	wantCode(t, err, apperr.NotFound)
}
