package plan

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

// attachmentPageRoutes are the documents' pages. Like the API they name no permission: the
// parent decides who reads and who writes (AttachmentFolder), so a parent one cannot see is
// not found.
func (pg *pages) attachmentPageRoutes() []route.Route {
	up := web.PageRoute(http.MethodPost, "/allegati/:kind/:id", route.OnDistrict, "", "", "Allega un documento / Attach a document", pg.attachmentUpload)
	up.BodyLimit = pg.svc.AttachmentLimit() + uploadOverhead
	return []route.Route{
		web.PageRoute(http.MethodGet, "/allegati/:kind/:id", route.OnDistrict, "", "", "Documenti allegati / Attached documents", pg.attachmentFolder),
		up,
		web.PageRoute(http.MethodPost, "/allegati/:kind/:id/elimina", route.OnDistrict, "", "", "Rimuovi un documento / Remove a document", pg.attachmentRemove),
	}
}

type folderView struct {
	Folder
	Back  string // the parent's page
	Limit string // "10 MB"
}

// folderPage prepares the documents' page of the parent in the path.
func (pg *pages) folderPage(c echo.Context) (*web.Page, folderView, error) {
	parent, err := parentParam(c)
	if err != nil {
		return nil, folderView{}, err
	}
	f, err := pg.svc.AttachmentFolder(c.Request().Context(), pg.actor(c), parent)
	if err != nil {
		return nil, folderView{}, err
	}
	p := pg.web.NewPage(c, "page.attachments.title")
	v := folderView{Folder: f, Limit: megabytes(pg.svc.AttachmentLimit())}
	switch parent.Kind {
	case ParentPlan:
		v.Back = fmt.Sprintf("/piani/%d", f.PlanID)
	case ParentObjective:
		v.Back = fmt.Sprintf("/obiettivi/%d", parent.ID)
	default:
		v.Back = fmt.Sprintf("/incarichi/%d", f.AssignmentID)
	}
	p.Crumbs = []web.Crumb{{Href: v.Back, Label: f.Title}}
	p.Data = v
	return p, v, nil
}

func (pg *pages) attachmentFolder(c echo.Context) error {
	p, _, err := pg.folderPage(c)
	if err != nil {
		return err
	}
	p.Form = &web.Form{Values: url.Values{}}
	return pg.web.Render(c, "plan/attachments", p)
}

func (pg *pages) attachmentUpload(c echo.Context) error {
	parent, err := parentParam(c)
	if err != nil {
		return err
	}
	in, err := readUpload(c, pg.svc.AttachmentLimit())
	if err == nil {
		in.Parent = parent
		_, err = pg.svc.Attach(c.Request().Context(), pg.actor(c), in)
	}
	if err != nil {
		return pg.failFolder(c, url.Values{"description": {in.Description}}, err)
	}
	return web.SeeOther(c, c.Request().URL.Path, "attachment_added")
}

// attachmentRemove removes a document after the confirmation page.
func (pg *pages) attachmentRemove(c echo.Context) error {
	v, err := web.FormValues(c)
	if err != nil {
		return err
	}
	id, perr := strconv.ParseInt(v.Get("attachment"), 10, 64)
	if perr != nil || id <= 0 {
		return apperr.New(apperr.NotFound, "allegato non trovato", "attachment not found")
	}
	ctx, who := c.Request().Context(), pg.actor(c)
	a, err := pg.svc.Attachment(ctx, who, id)
	if err != nil {
		return err
	}
	folder := fmt.Sprintf("/allegati/%s/%d", a.ParentKind, a.ParentID)
	if c.Request().URL.Path != folder+"/elimina" {
		return apperr.New(apperr.NotFound, "allegato non trovato", "attachment not found")
	}
	if !confirmed(v) {
		p := pg.web.NewPage(c, "page.confirm.title")
		return pg.confirm(c, a.PlanID, v, confirmData{Question: p.T("confirm.remove_attachment", a.Name),
			Action: c.Request().URL.Path, Back: folder, Button: p.T("attachments.remove"), Danger: true})
	}
	if err := pg.svc.DeleteAttachment(ctx, who, id); err != nil {
		return err
	}
	return web.SeeOther(c, folder, "attachment_removed")
}

// failFolder shows the documents' page again with the refusal next to the file field.
func (pg *pages) failFolder(c echo.Context, v url.Values, err error) error {
	if e, ok := apperr.As(err); !ok || (e.Code != apperr.Invalid && e.Code != apperr.Conflict) {
		return err
	}
	p, _, perr := pg.folderPage(c)
	if perr != nil {
		return perr
	}
	return pg.web.FailForm(c, "plan/attachments", p, v, err)
}
