using System.Security.Cryptography;
using System.Text;

namespace ReleaseGates;

/// <summary>
/// The HTML report's one stylesheet and the Content-Security-Policy that admits it by its hash and nothing else: no
/// script, no font, no image, no request of any kind. Light and dark schemes follow the reader's setting; the print
/// rules keep each gate on one page; under 40 em the tables scroll inside their own box.
/// </summary>
internal static class HtmlReportStyle
{
    public const string Css = """
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--panel:#f6f8fa;
--pass:#1a7f37;--warn:#9a6700;--fail:#cf222e;--error:#8250df;--skip:#6e7781;--base:#0969da;--track:#eaeef2}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#8d96a0;--line:#30363d;--panel:#161b22;
--pass:#3fb950;--warn:#d29922;--fail:#f85149;--error:#a371f7;--skip:#8b949e;--base:#58a6ff;--track:#21262d}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow-wrap:break-word}
main{max-width:72em;margin:0 auto;padding:1em}
h1,h2,h3{line-height:1.2;margin:.6em 0 .3em}
h2{font-size:1.25em;border-bottom:1px solid var(--line);padding-bottom:.2em}
h3{font-size:1.05em;display:flex;gap:.5em;align-items:baseline;flex-wrap:wrap}
a{color:var(--base)}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
.banner{border-radius:8px;padding:1em 1.2em;color:#fff;margin-bottom:1em}
.banner h1{margin:0;font-size:1.8em}
.banner p{margin:.3em 0}
.banner ul{margin:.4em 0 0;padding-left:1.2em}
.banner.go{background:#1a7f37}.banner.gowithwarnings{background:#9a6700}.banner.nogo{background:#cf222e}
.counts{display:flex;gap:1em;flex-wrap:wrap;font-weight:600}
.muted{color:var(--muted)}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:.6em .9em;margin:.6em 0}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;margin:.4em 0}
th,td{border-bottom:1px solid var(--line);padding:.3em .5em;text-align:left;vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:.9em}
td.num{text-align:right;font-variant-numeric:tabular-nums}
table.fixed{table-layout:fixed;min-width:36em}
table.fixed td,table.fixed th{overflow-wrap:anywhere}
.c8{width:8%}.c12{width:12%}.c16{width:16%}.c20{width:20%}.c22{width:22%}.c26{width:26%}.c28{width:28%}
.c30{width:30%}.c34{width:34%}.c48{width:48%}.cbar{width:196px}.cspark{width:112px}
.badge{display:inline-block;border-radius:1em;padding:0 .6em;font-size:.8em;font-weight:700;color:#fff;white-space:nowrap}
.badge.passed{background:var(--pass)}.badge.warning{background:var(--warn)}.badge.failed{background:var(--fail)}
.badge.error{background:var(--error)}.badge.skipped{background:var(--skip)}.badge.info{background:var(--base)}
.gate{border:1px solid var(--line);border-left:6px solid var(--skip);border-radius:8px;padding:.5em .9em;margin:.8em 0;break-inside:avoid}
.gate.passed{border-left-color:var(--pass)}.gate.warning{border-left-color:var(--warn)}.gate.failed{border-left-color:var(--fail)}
.gate.error{border-left-color:var(--error)}
.toc{display:flex;flex-wrap:wrap;gap:.4em;padding:0;list-style:none}
.toc a{text-decoration:none}
svg{display:block;max-width:100%;height:auto}
svg text{fill:var(--muted);font-size:11px;font-family:system-ui,sans-serif}
.track{fill:var(--track)}
.v-passed{fill:var(--pass)}.v-warning{fill:var(--warn)}.v-failed{fill:var(--fail)}.v-error{fill:var(--error)}.v-skipped{fill:var(--skip)}
.limit{stroke:var(--fail);stroke-width:2}
.warnlimit{stroke:var(--warn);stroke-width:2;stroke-dasharray:3 2}
.baseline{stroke:var(--base);stroke-width:2}
.axis{stroke:var(--line);stroke-width:1}
.curve{fill:none;stroke:var(--base);stroke-width:2}
.spark{fill:none;stroke:var(--muted);stroke-width:1.5}
.dot{fill:var(--base)}
.dots{stroke:var(--base);stroke-width:5;stroke-linecap:round;fill:none}
svg text.m{text-anchor:middle}svg text.e{text-anchor:end}
.legend{display:flex;gap:1em;flex-wrap:wrap;font-size:.85em;color:var(--muted)}
.key-limit{color:var(--fail)}.key-warn{color:var(--warn)}.key-base{color:var(--base)}
footer{color:var(--muted);font-size:.85em;margin:2em 0 1em}
@media (max-width:40em){body{font-size:14px}main{padding:.5em}.banner h1{font-size:1.4em}th,td{padding:.25em .3em}}
@media print{:root{color-scheme:light}body{background:#fff;color:#000}.toc{display:none}
.gate,.panel,table,svg{break-inside:avoid}.banner{print-color-adjust:exact;-webkit-print-color-adjust:exact}a{color:inherit;text-decoration:none}}
""";

    /// <summary>The page's Content-Security-Policy: the stylesheet above by its SHA-256, inert data-URL icon, nothing else.</summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Css)))}'; "
        + "img-src data:; base-uri 'none'; form-action 'none'";
}
