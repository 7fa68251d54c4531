/** `GET /chat/frame.css`: the widget's look; `--td-color` comes from the site's `data-color`. */
export const FRAME_CSS = String.raw`:root{--td-color:#2457c5;--td-fg:#1b1f24;--td-muted:#5b6470;--td-bg:#fff;--td-soft:#eef1f6}
*{box-sizing:border-box}
html,body{margin:0;height:100%;background:var(--td-bg);color:var(--td-fg);font:15px/1.4 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif}
.td-app{display:flex;flex-direction:column;height:100%;max-width:720px;margin:0 auto}
.td-head{display:flex;align-items:center;gap:8px;padding:12px 14px;background:var(--td-color);color:#fff}
.td-head h1{flex:1;margin:0;font-size:16px;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.td-close{border:0;background:transparent;color:#fff;font-size:22px;line-height:1;width:36px;height:36px;border-radius:6px;cursor:pointer}
.td-page .td-close{display:none}
.td-status{margin:0;padding:6px 14px;font-size:13px;color:var(--td-muted);background:var(--td-soft);min-height:1.4em}
.td-status[data-td-level=warn]{color:#8a4b00;background:#fff4e0}
.td-status[data-td-level=error]{color:#9b1c1c;background:#fdeaea}
.td-log{flex:1;overflow-y:auto;margin:0;padding:12px 14px;list-style:none;display:flex;flex-direction:column;gap:8px}
.td-msg{max-width:85%;padding:8px 11px;border-radius:12px;background:var(--td-soft);overflow-wrap:anywhere;white-space:pre-wrap}
.td-msg[data-td-author=visitor]{align-self:flex-end;background:var(--td-color);color:#fff}
.td-msg[data-td-author=system]{align-self:center;background:transparent;color:var(--td-muted);font-size:13px;text-align:center}
.td-msg[data-td-state=pending]{opacity:.6}
.td-who{display:block;font-size:12px;font-weight:600;opacity:.8}
.td-note{display:block;font-size:11px;opacity:.7}
.td-msg[data-td-change=deleted] .td-body{opacity:.7}
.td-form{display:flex;gap:8px;padding:10px 14px;border-top:1px solid #d9dee6}
.td-form textarea{flex:1;min-width:0;resize:none;height:44px;padding:10px;border:1px solid #aab3c0;border-radius:8px;font:inherit}
.td-attach{display:flex;align-items:center;justify-content:center;width:40px;border-radius:8px;color:var(--td-muted);cursor:pointer}
.td-attach:focus-within{outline:3px solid #111;outline-offset:2px}
.td-img{display:block;max-width:100%;max-height:240px;margin-top:4px;border-radius:8px}
.td-msg a{color:inherit}
.td-typing{margin:0;padding:2px 14px 6px;font-size:13px;font-style:italic;color:var(--td-muted)}
.td-send{border:0;border-radius:8px;padding:0 16px;background:var(--td-color);color:#fff;font:inherit;font-weight:600;cursor:pointer}
.td-send:disabled{opacity:.5;cursor:default}
button:focus-visible,textarea:focus-visible{outline:3px solid #111;outline-offset:2px}
.td-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
