package plan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// ParentKind names what an attachment belongs to.
type ParentKind string

// The things a file can be attached to.
const (
	ParentPlan       ParentKind = "plan"       // delibere, regional decrees
	ParentObjective  ParentKind = "objective"  // documents of one objective
	ParentAssignment ParentKind = "assignment" // the agreement with a partner
	ParentReport     ParentKind = "report"     // a partner's report (assignment_reports)
)

// ParentKinds lists the kinds, for messages and forms.
var ParentKinds = []ParentKind{ParentPlan, ParentObjective, ParentAssignment, ParentReport}

// Parent is the record an attachment belongs to.
type Parent struct {
	Kind ParentKind `json:"kind"`
	ID   int64      `json:"id"`
}

// DefaultAttachmentLimit is the largest file accepted unless WithAttachmentLimit says
// otherwise: a scanned delibera of a few dozen pages.
const DefaultAttachmentLimit = 10 << 20

// Attachment is a file attached to a plan, an objective, an assignment or a report. Its bytes
// are read only by AttachmentFile.
type Attachment struct {
	ID             int64      `json:"id"`
	PlanID         int64      `json:"plan_id"`
	ParentKind     ParentKind `json:"parent_kind"`
	ParentID       int64      `json:"parent_id"`
	Name           string     `json:"name"`
	Description    string     `json:"description"`
	ContentType    string     `json:"content_type"`
	Size           int64      `json:"size"`
	SHA256         string     `json:"sha256" gorm:"column:sha256"`
	UploadedBy     string     `json:"uploaded_by"`
	UploadedByName string     `json:"uploaded_by_name"`
	CreatedAt      time.Time  `json:"created_at"`
}

// AttachmentInput is one file to attach: its parent, the name it was uploaded with, an
// optional description and its content.
type AttachmentInput struct {
	Parent      Parent
	Name        string
	Description string
	Data        []byte
}

type attachmentData struct {
	AttachmentID int64
	Data         []byte
}

func (attachmentData) TableName() string { return "attachment_data" }

// WithAttachmentLimit sets the largest file accepted (bytes); n ≤ 0 keeps the default.
func (s *Service) WithAttachmentLimit(n int64) *Service {
	s.attachLimit = n
	return s
}

// AttachmentLimit is the largest file accepted, in bytes.
func (s *Service) AttachmentLimit() int64 {
	if s.attachLimit <= 0 {
		return DefaultAttachmentLimit
	}
	return s.attachLimit
}

var errAttachmentNotFound = apperr.New(apperr.NotFound, "allegato non trovato", "attachment not found")

// Attach stores a file on a parent the actor may write. The type is decided by the content
// (PDF, ODT, DOCX, XLSX), never by the name or the declared type; the name's extension is
// set to match. Invalid (field "file", "name", "description", "parent_kind"), NotFound for a
// parent the actor cannot see, Forbidden for one it may read but not write, TooLarge.
func (s *Service) Attach(ctx context.Context, actor Actor, in AttachmentInput) (Attachment, error) {
	if err := checkParentKind(in.Parent.Kind); err != nil {
		return Attachment{}, err
	}
	// The file and its description are refused together, so the form shows both at once.
	var ps problems
	var ft fileType
	var name string
	switch {
	case len(in.Data) == 0:
		ps.add(apperr.Invalidf("file", "Scegliere il file da allegare", "Choose the file to attach"))
	case int64(len(in.Data)) > s.AttachmentLimit():
		ps.add(apperr.Invalidf("file", "Il file è troppo grande: al massimo %s", "The file is too large: at most %s", megabytes(s.AttachmentLimit())))
	default:
		var ok bool
		if ft, ok = sniffFile(in.Data); !ok {
			ps.add(apperr.Invalidf("file", "Tipo di file non ammesso: si allegano solo PDF, ODT, DOCX o XLSX", "File type not allowed: only PDF, ODT, DOCX or XLSX"))
		} else {
			var err error
			name, err = cleanFileName(in.Name, ft.ext)
			ps.add(err)
		}
	}
	desc := strings.TrimSpace(in.Description)
	if utf8.RuneCountInString(desc) > 500 || !utf8.ValidString(desc) || strings.ContainsRune(desc, 0) {
		ps.add(apperr.Invalidf("description", "La descrizione è troppo lunga: al massimo 500 caratteri", "The description is too long: at most 500 characters"))
	}
	if err := ps.err(); err != nil {
		return Attachment{}, err
	}
	sum := sha256.Sum256(in.Data)
	var a Attachment
	err := s.tx(ctx, actor, func(tx *tenancy.Tx) error {
		planID, err := parentPlan(tx, in.Parent)
		if err != nil {
			return err
		}
		if err := mayWriteParent(tx, in.Parent); err != nil {
			return err
		}
		a = Attachment{PlanID: planID, ParentKind: in.Parent.Kind, ParentID: in.Parent.ID, Name: name, Description: desc,
			ContentType: ft.mime, Size: int64(len(in.Data)), SHA256: hex.EncodeToString(sum[:]),
			UploadedBy: actor.ID, UploadedByName: actor.Name, CreatedAt: time.Now()}
		if err := tx.Create(&a).Error; err != nil {
			return storeError(err, "allegato")
		}
		return storeError(tx.Create(&attachmentData{AttachmentID: a.ID, Data: in.Data}).Error, "allegato")
	})
	return a, err
}

// Attachments lists the files of a parent the actor may read, newest first.
func (s *Service) Attachments(ctx context.Context, actor Actor, parent Parent) ([]Attachment, error) {
	if err := checkParentKind(parent.Kind); err != nil {
		return nil, err
	}
	var out []Attachment
	err := s.tx(ctx, actor, func(tx *tenancy.Tx) error {
		if _, err := parentPlan(tx, parent); err != nil {
			return err
		}
		return tx.Where("parent_kind = ? AND parent_id = ?", parent.Kind, parent.ID).Order("created_at DESC, id DESC").Find(&out).Error
	})
	return out, err
}

// AttachmentFile returns an attachment and its bytes, if the actor may read its parent
// (otherwise NotFound, like a missing one).
func (s *Service) AttachmentFile(ctx context.Context, actor Actor, id int64) (Attachment, []byte, error) {
	var a Attachment
	var d attachmentData
	err := s.tx(ctx, actor, func(tx *tenancy.Tx) (err error) {
		if a, err = readableAttachment(tx, id); err != nil {
			return err
		}
		return tx.Where("attachment_id = ?", id).Take(&d).Error
	})
	if err != nil {
		return Attachment{}, nil, storeError(err, "allegato")
	}
	return a, d.Data, nil
}

// Attachment returns an attachment's description (no bytes), if the actor may read its parent.
func (s *Service) Attachment(ctx context.Context, actor Actor, id int64) (Attachment, error) {
	var a Attachment
	err := s.tx(ctx, actor, func(tx *tenancy.Tx) (err error) {
		a, err = readableAttachment(tx, id)
		return err
	})
	return a, err
}

// DeleteAttachment removes a file from a parent the actor may write.
func (s *Service) DeleteAttachment(ctx context.Context, actor Actor, id int64) error {
	return s.tx(ctx, actor, func(tx *tenancy.Tx) error {
		a, err := readableAttachment(tx, id)
		if err != nil {
			return err
		}
		if err := mayWriteParent(tx, Parent{a.ParentKind, a.ParentID}); err != nil {
			return err
		}
		return tx.Exec(`DELETE FROM attachments WHERE id = ?`, id).Error
	})
}

func readableAttachment(tx *tenancy.Tx, id int64) (Attachment, error) {
	var as []Attachment
	if err := tx.Where("id = ?", id).Limit(1).Find(&as).Error; err != nil {
		return Attachment{}, err
	}
	if len(as) == 0 {
		return Attachment{}, errAttachmentNotFound
	}
	if _, err := parentPlan(tx, Parent{as[0].ParentKind, as[0].ParentID}); err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			return Attachment{}, errAttachmentNotFound
		}
		return Attachment{}, err
	}
	return as[0], nil
}

func checkParentKind(k ParentKind) error {
	if !contains(ParentKinds, k) {
		return apperr.Invalidf("parent_kind", "si allega a: %s", "attach to: %s", joined(ParentKinds))
	}
	return nil
}

// parentPlan finds the parent the actor may read and returns the plan it belongs to. A parent
// the actor may not read is NotFound, like a missing one: plans and objectives are read with
// plan:read, assignments and reports as visibleAssignments allows (a partner, its own).
func parentPlan(tx *tenancy.Tx, p Parent) (int64, error) {
	switch p.Kind {
	case ParentPlan, ParentObjective:
		if !tx.Actor.Can(objPlan, "read") {
			return 0, notFound("documento")
		}
		if p.Kind == ParentPlan {
			pl, err := findPlan(tx, p.ID, false)
			return pl.ID, err
		}
		o, err := findObjective(tx, p.ID)
		return o.PlanID, err
	case ParentAssignment:
		a, err := findAssignment(tx, p.ID)
		return a.PlanID, err
	case ParentReport:
		var rs []Report
		if err := tx.Where("id = ?", p.ID).Limit(1).Find(&rs).Error; err != nil {
			return 0, err
		}
		if len(rs) == 0 {
			return 0, notFound("rendiconto")
		}
		a, err := findAssignment(tx, rs[0].AssignmentID)
		return a.PlanID, err
	}
	return 0, checkParentKind(p.Kind)
}

var errAttachForbidden = apperr.New(apperr.Forbidden, "non si possono allegare o rimuovere documenti qui", "you may not attach or remove documents here")

// mayWriteParent decides who attaches to a parent it can read: the Ufficio di Piano
// everywhere; the Assemblea to a plan (its delibera); health staff to the objectives they
// edit; a partner to its own assignments and reports.
func mayWriteParent(tx *tenancy.Tx, p Parent) error {
	a := tx.Actor
	if writesAnyObjective(a) {
		return nil
	}
	switch p.Kind {
	case ParentPlan:
		if a.Can(objPlan, "approve") {
			return nil
		}
	case ParentObjective:
		if a.Can("objectives", "edit") {
			o, err := findObjective(tx, p.ID)
			if err != nil {
				return err
			}
			if o.SocioSanitary {
				return nil
			}
		}
	case ParentAssignment, ParentReport:
		if a.Can(objAssignments, "manage") || a.Can(objAssignments, "report") {
			return nil // parentPlan already limited a partner to its own
		}
	}
	return errAttachForbidden
}

// cleanFileName keeps the base of the uploaded name, without characters that would break a
// Content-Disposition header, and gives it the extension of its real type.
func cleanFileName(name, ext string) (string, error) {
	name = filepath.Base(strings.ReplaceAll(strings.TrimSpace(name), `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' || r == '/' {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	base := strings.TrimSuffix(name, filepath.Ext(name))
	if base == "" || base == "." {
		base = "documento"
	}
	if utf8.RuneCountInString(base) > 150 {
		return "", apperr.Invalidf("name", "Il nome del file è troppo lungo: al massimo 150 caratteri", "The file name is too long: at most 150 characters")
	}
	return base + "." + ext, nil
}

func megabytes(n int64) string {
	return strings.Replace(strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64), ".", ",", 1) + " MB"
}

// fileSize says a size as the documents' page shows it: "850 kB", "2,4 MB".
func fileSize(n int64) string {
	if n < 1<<20 {
		return strconv.FormatInt((n+1023)/1024, 10) + " kB"
	}
	return strings.Replace(strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64), ".", ",", 1) + " MB"
}
