/** `GET /sandbox/app.css`: the sandbox page and its shop page. */
export const PAGE_CSS = `
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "PingFang SC", sans-serif; color: #1d1f24; background: #f3f4f6; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .92em; background: #eef0f3; padding: 0 .25em; border-radius: 3px; }
button, input, textarea { font: inherit; }
:focus-visible { outline: 3px solid #2457c5; outline-offset: 2px; }
.sb-top { padding: 12px 24px; background: #1f2a44; color: #fff; }
.sb-top h1 { margin: 0 0 4px; font-size: 20px; }
.sb-top p { margin: 0; max-width: 70em; }
.sb-main { display: grid; grid-template-columns: minmax(0, 1fr) 420px; gap: 24px; padding: 16px 24px; align-items: start; }
@media (max-width: 900px) { .sb-main { grid-template-columns: 1fr; } }
h2 { margin: 0 0 8px; font-size: 17px; }
.sb-sub { font-weight: normal; color: #5b6270; font-size: 13px; }
.sb-status { margin: 0 0 8px; color: #2b6a3a; font-size: 13px; }
.sb-status.sb-bad { color: #a3261b; font-weight: 600; }
.sb-command { display: flex; gap: 8px; align-items: center; margin-bottom: 4px; }
.sb-command input { flex: 1; padding: 6px 8px; border: 1px solid #c5cad3; border-radius: 6px; }
.sb-empty { padding: 24px; text-align: center; color: #5b6270; background: #fff; border: 1px dashed #c5cad3; border-radius: 8px; }
.sb-thread { background: #fff; border: 1px solid #d9dde4; border-radius: 10px; margin-bottom: 16px; overflow: hidden; }
.sb-card { padding: 12px 14px; background: #f8f9fb; border-bottom: 1px solid #e3e6eb; border-left: 4px solid #2457c5; }
.sb-title { margin: 0 0 6px; font-size: 16px; }
.sb-fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 4px 16px; margin: 0 0 8px; }
.sb-fields dt { font-size: 12px; color: #5b6270; }
.sb-fields dd { margin: 0; }
.sb-buttons { display: flex; gap: 8px; flex-wrap: wrap; }
.sb-button { padding: 5px 14px; border: 1px solid #b7bdc8; border-radius: 6px; background: #fff; cursor: pointer; }
.sb-button:disabled { opacity: .6; cursor: progress; }
.sb-primary { background: #2457c5; border-color: #2457c5; color: #fff; }
.sb-danger { color: #a3261b; border-color: #d8a39e; }
.sb-hint { margin: 8px 0 0; font-size: 12px; color: #5b6270; }
.sb-posts { list-style: none; margin: 0; padding: 8px 14px; }
.sb-post { padding: 4px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.sb-author { font-weight: 600; margin-right: 8px; }
.sb-notice { color: #5b6270; font-size: 14px; }
.sb-notice .sb-author { color: #7a4bb3; }
.sb-agent .sb-author { color: #2457c5; }
.sb-delivered { margin-left: 6px; color: #1d8a3a; font-weight: 700; }
.sb-reply { display: flex; gap: 8px; padding: 8px 14px 12px; }
.sb-reply textarea { flex: 1; padding: 6px 8px; border: 1px solid #c5cad3; border-radius: 6px; resize: vertical; }
.sb-error { margin: 0; padding: 0 14px; color: #a3261b; }
.sb-error:empty { display: none; }
.sb-notes ol { padding-left: 0; list-style: none; }
.sb-note { background: #fffbe6; border: 1px solid #eadb9c; border-radius: 6px; padding: 6px 10px; margin-bottom: 6px; white-space: pre-wrap; }
.sb-link { margin-left: 8px; border: 0; background: none; color: #2457c5; text-decoration: underline; cursor: pointer; padding: 0; }
.sb-phone { display: block; width: 400px; max-width: 100%; height: 640px; border: 10px solid #1f2a44; border-radius: 24px; background: #fff; }
.sb-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.shop { padding: 16px; background: #fdfaf3; }
.shop h1 { margin-top: 0; font-size: 20px; }
`;
