package plan

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
)

// uploadOverhead is what a multipart body carries beyond the file: boundaries, headers, the
// description and the CSRF token of a page's form.
const uploadOverhead = 64 << 10

// attachmentRoutes are the operations on attachments. They name no permission: whether one
// may read or write is the parent's (a plan, an objective, an assignment, a report), which
// the service decides, so a parent one cannot see is 404 like a missing one.
func (h *API) attachmentRoutes() []route.Route {
	r := func(method, path, summary string, fn echo.HandlerFunc, produces string) route.Route {
		return route.Route{Method: method, Path: path, On: route.OnDistrict, Tag: "piano", Summary: summary, Handler: fn, Produces: []string{produces}}
	}
	const v = "/api/v1"
	up := r("POST", v+"/attachments/:kind/:id", "Allega un file (multipart: file, description; PDF, ODT, DOCX, XLSX) / Attach a file", h.attach, route.JSON).Returning(Attachment{})
	up.BodyLimit = h.svc.AttachmentLimit() + uploadOverhead
	return []route.Route{
		r("GET", v+"/attachments/:kind/:id", "Allegati di un piano, obiettivo, incarico o rendiconto / Attachments of a plan, objective, assignment or report", h.attachments, route.JSON).Returning([]Attachment{}),
		up,
		r("GET", v+"/attachments/:id", "Scarica un allegato / Download an attachment", h.downloadAttachment, "application/octet-stream"),
		r("DELETE", v+"/attachments/:id", "Rimuovi un allegato / Remove an attachment", deleteByID(h, h.svc.DeleteAttachment), route.JSON),
	}
}

// parentParam reads :kind and :id.
func parentParam(c echo.Context) (Parent, error) {
	id, err := route.ID(c, "id")
	if err != nil {
		return Parent{}, err
	}
	k := ParentKind(c.Param("kind"))
	if err := checkParentKind(k); err != nil {
		return Parent{}, err
	}
	return Parent{Kind: k, ID: id}, nil
}

func (h *API) attachments(c echo.Context) error {
	p, err := parentParam(c)
	if err != nil {
		return err
	}
	as, err := h.svc.Attachments(c.Request().Context(), h.actor(c), p)
	if err != nil {
		return err
	}
	return route.List(c, as, int64(len(as)), len(as), 0)
}

func (h *API) attach(c echo.Context) error {
	p, err := parentParam(c)
	if err != nil {
		return err
	}
	in, err := readUpload(c, h.svc.AttachmentLimit())
	if err != nil {
		return err
	}
	in.Parent = p
	a, err := h.svc.Attach(c.Request().Context(), h.actor(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, a)
}

func (h *API) downloadAttachment(c echo.Context) error {
	id, err := route.ID(c, "id")
	if err != nil {
		return err
	}
	a, data, err := h.svc.AttachmentFile(c.Request().Context(), h.actor(c), id)
	if err != nil {
		return err
	}
	serveAttachment(c, a, data)
	return nil
}

// serveAttachment sends the file as a download (never shown inline: a PDF or an office file
// opens in its own application), with the type decided at upload and nosniff.
func serveAttachment(c echo.Context, a Attachment, data []byte) {
	hd := c.Response().Header()
	hd.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "private, no-store")
	hd.Set(echo.HeaderContentLength, strconv.Itoa(len(data)))
	_ = c.Blob(http.StatusOK, a.ContentType, data)
}

// readUpload reads the multipart form's "file" (at most limit bytes) and "description".
// The authentication's CSRF check may already have parsed the form; otherwise it is parsed
// here, keeping at most 1 MiB in memory.
func readUpload(c echo.Context, limit int64) (AttachmentInput, error) {
	r := c.Request()
	if !strings.HasPrefix(r.Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm) {
		return AttachmentInput{}, apperr.Invalidf("file", "inviare il file come multipart/form-data (campo file)", "send the file as multipart/form-data (field file)")
	}
	if r.MultipartForm == nil {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				return AttachmentInput{}, apperr.Invalidf("file", "file troppo grande: al massimo %s", "file too large: at most %s", megabytes(limit))
			}
			return AttachmentInput{}, apperr.Invalidf("file", "modulo illeggibile", "unreadable form")
		}
	}
	in := AttachmentInput{Description: r.FormValue("description")}
	fhs := r.MultipartForm.File["file"]
	if len(fhs) == 0 {
		return in, apperr.Invalidf("file", "scegliere un file da allegare", "choose a file to attach")
	}
	if fhs[0].Size > limit {
		return in, apperr.Invalidf("file", "file troppo grande: al massimo %s", "file too large: at most %s", megabytes(limit))
	}
	f, err := fhs[0].Open()
	if err != nil {
		return in, err
	}
	defer f.Close()
	if in.Data, err = io.ReadAll(io.LimitReader(f, limit+1)); err != nil {
		return in, err
	}
	in.Name = fhs[0].Filename
	return in, nil
}
