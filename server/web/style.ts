/**
 * The one stylesheet, served from this origin (the CSP allows no inline style). Colours are
 * chosen for contrast of at least 4.5:1 on their background (WCAG AA); every matrix cell carries a
 * word and a symbol as well as a colour.
 */
export const STYLESHEET_PATH = '/static/site.css';

export const STYLESHEET = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff}
body{margin:0}
a{color:#0b4f9c}
a:hover{color:#06305f}
:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
.skip{position:absolute;left:-9999px;top:0;background:#fff;padding:.5rem 1rem;z-index:10}
.skip:focus{left:.5rem}
header.site,footer.site{background:#0d2a4a;color:#fff;padding:.75rem 1rem}
header.site{display:flex;flex-wrap:wrap;gap:.5rem 2rem;align-items:center}
header.site a,footer.site a{color:#fff}
header.site .brand{margin:0;font-weight:700;font-size:1.2rem}
header.site nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:1rem}
footer.site{margin-top:3rem;font-size:.9rem}
main{max-width:72rem;margin:0 auto;padding:1rem}
main:focus{outline:none}
h1{font-size:1.6rem;margin:.5rem 0}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
form.search{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.75rem;align-items:end;background:#f3f5f8;padding:1rem;border-radius:.4rem}
form.search .wide{grid-column:1/-1}
label{display:block;font-weight:600;font-size:.9rem;margin-bottom:.2rem}
input,select,button{font:inherit;min-height:2.5rem;padding:.45rem .5rem;border:1px solid #5c6570;border-radius:.25rem;width:100%;background:#fff;color:#1a1a1a}
button{background:#0b4f9c;color:#fff;border-color:#0b4f9c;cursor:pointer;font-weight:600}
button:hover{background:#06305f}
ol.results{list-style:none;padding:0;margin:0}
ol.results li{border-bottom:1px solid #d0d5db;padding:.75rem 0}
ol.results h3{margin:0;font-size:1.1rem}
ol.results p{margin:.25rem 0}
.meta{color:#3d4650;font-size:.9rem}
.badge{display:inline-block;border:1px solid #5c6570;border-radius:.8rem;padding:0 .5rem;font-size:.8rem;color:#1a1a1a;background:#eef1f4;margin-right:.25rem}
.badge.yanked{background:#e6e6e6;color:#333;border-color:#333}
.badge.deprecated,.badge.archived{background:#fff0c2;color:#4a3700;border-color:#4a3700}
.badge.vulnerable{background:#f8dede;color:#6b0f0f;border-color:#6b0f0f;font-weight:700}
.deprecation,.advisory{border-left:4px solid #4a3700;padding:.25rem .75rem;background:#fff8e0}
.advisory{border-color:#6b0f0f;background:#fdf0f0}
.badge.form.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
form.inline label{flex-basis:100%}
form.inline select,form.inline button{width:auto;min-width:8rem}
td code{white-space:nowrap}
pre{background:#fff0c2;color:#4a3700;border-color:#4a3700}
nav.pages ul{list-style:none;display:flex;gap:1rem;padding:0;flex-wrap:wrap}
.table-wrap{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.9rem}
th,td{border:1px solid #c4cad1;padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{background:#eef1f4}
td.cell{text-align:center;white-space:nowrap}
td.works,td.corrected-works{background:#d8f0dc;color:#0d4a1c}
td.no,td.corrected-no{background:#f8dede;color:#6b0f0f}
td.corrected-works,td.corrected-no{font-weight:700;text-decoration:underline dotted}
td.yanked{background:#e6e6e6;color:#333}
form.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
form.inline label{flex-basis:100%}
form.inline select,form.inline button{width:auto;min-width:8rem}
td code{white-space:nowrap}
pre{background:#f3f5f8;padding:.75rem;overflow-x:auto;border-radius:.3rem}
pre.install{font-size:.95rem}
pre.readme-text{white-space:pre-wrap;word-break:break-word}
.readme{border-top:1px solid #d0d5db;margin-top:1rem;overflow-wrap:anywhere}
.readme table{margin:.5rem 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0;overflow-wrap:anywhere}
svg.chart{width:100%;max-width:40rem;height:auto}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.note{color:#3d4650;font-size:.9rem}
.error{border-left:4px solid #6b0f0f;padding-left:1rem}
@media (max-width:40rem){main{padding:.5rem}h1{font-size:1.3rem}}
`;
