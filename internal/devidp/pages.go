package devidp

import "html/template"

// pages are the provider's HTML pages: Italian first, English second, no
// external assets, no JavaScript.
var pages = template.Must(template.New("pages").Parse(`
{{define "head"}}<!doctype html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.}} — Ambiti, IdP di sviluppo</title>
<style>
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1a1a1a;background:#f5f6f7}
.dev-banner{background:#b00020;color:#fff;padding:.75rem 1rem;text-align:center;font-weight:700;font-size:1.05rem}
main{max-width:34rem;margin:2rem auto;padding:1.5rem 2rem;background:#fff;border:1px solid #d0d4d9;border-radius:.5rem}
h1{font-size:1.5rem;margin-top:0}
h2{font-size:1.1rem;margin-top:2rem}
.field{margin-bottom:1rem}
label{display:block;font-weight:600;margin-bottom:.25rem}
input[type=text],input[type=password]{box-sizing:border-box;width:100%;padding:.5rem;font-size:1rem;border:1px solid #5c6f82;border-radius:.25rem}
input:focus,button:focus,a:focus,summary:focus{outline:3px solid #0066cc;outline-offset:2px}
input[aria-invalid=true]{border:2px solid #b00020}
.error{color:#b00020;font-weight:600;margin:.35rem 0 0}
button{background:#0066cc;color:#fff;border:0;border-radius:.25rem;padding:.6rem 1.4rem;font-size:1rem;font-weight:600;cursor:pointer}
button:hover{background:#004d99}
code{font-size:.95em}
ul.users{padding-left:1.2rem}
ul.users li{margin-bottom:.2rem}
.muted{color:#4d4d4d;font-size:.95rem}
</style>
</head>
<body>
<div class="dev-banner" role="note">Solo per sviluppo — Development only: not a real identity provider</div>
{{end}}

{{define "users"}}<ul class="users">
{{range .}}<li><code>{{.Username}}</code> — {{.Name}}{{if .Roles}} <span class="muted">({{.Roles}})</span>{{end}}</li>
{{end}}</ul>{{end}}

{{define "login"}}{{template "head" "Accedi / Log in"}}
<main>
<h1>Accedi <span lang="en">/ Log in</span></h1>
<p class="muted">Applicazione / <span lang="en">Application</span>: <code>{{.ClientID}}</code></p>
<form method="post" action="/login">
<input type="hidden" name="authRequestID" value="{{.RequestID}}">
<div class="field">
<label for="username">Nome utente / <span lang="en">Username</span></label>
<input type="text" id="username" name="username" value="{{.Username}}" autocomplete="username" autocapitalize="none" spellcheck="false" required{{if .Error}} aria-invalid="true" aria-describedby="login-error"{{end}}>
{{if .Error}}<p id="login-error" class="error" role="alert">{{.Error}}</p>{{end}}
</div>
<div class="field">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required{{if .Error}} aria-invalid="true" aria-describedby="login-error"{{end}}>
</div>
<button type="submit">Accedi / <span lang="en">Log in</span></button>
</form>
<section aria-labelledby="demo-users">
<h2 id="demo-users">Utenti demo / <span lang="en">Demo users</span></h2>
<p class="muted">Tutti usano la stessa password demo, scritta in <code>deploy/dev/idp.yaml</code>. /
<span lang="en">They all share the demo password in <code>deploy/dev/idp.yaml</code>.</span></p>
{{if .Users}}{{template "users" .Users}}{{end}}
{{if .OtherUsers}}<details>
<summary>Altri utenti / <span lang="en">Other users</span></summary>
{{template "users" .OtherUsers}}
</details>{{end}}
</section>
</main>
</body>
</html>
{{end}}

{{define "message"}}{{template "head" .Title}}
<main>
<h1>{{.Title}}</h1>
<p>{{.Text}}</p>
{{if .Link}}<p><a href="{{.Link}}">{{.Link}}</a></p>{{end}}
</main>
</body>
</html>
{{end}}
`))
