// report.html: one self-contained page. Grids are embedded as PNG data: URIs (shown
// with nearest-neighbour scaling), charts as inline SVG; nothing is fetched.
#include <fstream>
#include <iterator>
#include <map>

#include "compare/report.hpp"
#include "compare/svg_chart.hpp"

namespace genhost::compare {

namespace {

std::string base64(const std::string& bytes) {
    static const char* const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const uint32_t v = (uint32_t(uint8_t(bytes[i])) << 16) | (uint32_t(uint8_t(bytes[i + 1])) << 8) | uint8_t(bytes[i + 2]);
        for (int k = 18; k >= 0; k -= 6) out += digits[(v >> k) & 63];
    }
    if (const size_t rest = bytes.size() - i; rest > 0) {
        uint32_t v = uint32_t(uint8_t(bytes[i])) << 16;
        if (rest == 2) v |= uint32_t(uint8_t(bytes[i + 1])) << 8;
        out += digits[(v >> 18) & 63];
        out += digits[(v >> 12) & 63];
        out += rest == 2 ? digits[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string table(const TextTable& t) {
    std::string s = "<table>";
    for (size_t r = 0; r < t.size(); ++r) {
        s += "<tr>";
        for (const auto& cell : t[r]) s += (r == 0 ? "<th>" : "<td>") + escape_xml(cell) + (r == 0 ? "</th>" : "</td>");
        s += "</tr>";
    }
    return s + "</table>";
}

std::string image(const std::string& file, const std::string& alt) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.empty()) return "<p>(missing: " + escape_xml(file) + ")</p>";
    return "<img alt=\"" + escape_xml(alt) + "\" src=\"data:image/png;base64," + base64(bytes) + "\">";
}

Series points(const std::string& name, const nlohmann::json& curve) {
    Series s{name, {}};
    for (const auto& p : curve) s.points.emplace_back(p[0].get<double>(), p[1].get<double>());
    return s;
}

const char* const kStyle = R"css(
body { font-family: sans-serif; margin: 24px; color: #222; max-width: 1400px; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border: 1px solid #bbb; padding: 4px 8px; text-align: left; font-size: 14px; }
th { background: #f0f0f0; }
.row { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
figure { margin: 0; }
figcaption { font-size: 13px; margin-top: 4px; }
img { image-rendering: pixelated; image-rendering: crisp-edges; width: 330px; border: 1px solid #ccc; }
pre { background: #f6f6f6; padding: 8px; font-size: 12px; white-space: pre-wrap; word-break: break-all; }
.rule { font-size: 13px; max-width: 1000px; }
)css";

// Marks <body data-images="loaded/total"> once the page has loaded, for the test that
// renders the report headless (tests/host/compare/).
const char* const kImageCheck =
    "<script>window.addEventListener('load',function(){var m=document.images,k=0;for(var i=0;i<m.length;i++)"
    "if(m[i].complete&&m[i].naturalWidth>0)k++;document.body.setAttribute('data-images',k+'/'+m.length);});</script>";

}  // namespace

std::string report_html(const nlohmann::json& report) {
    const nlohmann::json& s = report["settings"];
    std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>genhost family comparison: " +
                    escape_xml(report["name"].get<std::string>()) + "</title><style>" + kStyle + "</style>" + kImageCheck +
                    "</head><body>\n";
    h += "<h1>Family comparison: " + escape_xml(report["name"].get<std::string>()) + "</h1>\n";
    h += "<p>genhost " + escape_xml(report["genhost_version"].get<std::string>()) + ", " + escape_xml(report["date"].get<std::string>()) +
         ". Budget: " + std::to_string(s["budget"]["images"].get<int64_t>()) + " training images per family and seed; seeds " +
         escape_xml(s["seeds"].dump()) + "; quality metrics on " + std::to_string(s["samples"].get<int64_t>()) +
         " generated images against as many test images, in the judge's feature space. Numbers are mean ± std over seeds.</p>\n";
    h += "<h2>The course's table</h2>\n" + table(stars_table(report)) + "<p class=\"rule\">" +
         escape_xml(report["stars_rule"].get<std::string>()) + "</p>\n";
    h += "<h2>Measured</h2>\n" + table(measured_table(report)) + "\n";
    h += "<h2>Sampling " + std::to_string(s["sample_images"].get<int64_t>()) + " images</h2>\n" + table(sampling_table(report)) + "\n";

    h += "<h2>Samples</h2>\n<div class=\"row\">";
    for (const auto& f : report["families"])
        for (const auto& smp : f["efficiency"]["sampling"]) {
            const std::string caption = f["label"].get<std::string>() + ", " + smp["sampler"].get<std::string>();
            h += "<figure>" + image(smp["grid"].get<std::string>(), caption) + "<figcaption>" + escape_xml(caption) +
                 "</figcaption></figure>";
        }
    h += "</div>\n";

    h += "<h2>FID over training</h2>\n<div class=\"row\">";
    std::vector<Series> fid;
    for (const auto& f : report["families"])
        for (const auto& r : f["runs"])
            if (!r["fid_curve"].empty())
                fid.push_back(points(f["label"].get<std::string>() + " s" + std::to_string(r["seed"].get<int64_t>()), r["fid_curve"]));
    h += line_chart("FID over training (every seed)", "step", "FID", fid) + "</div>\n";

    h += "<h2>Loss curves (first seed)</h2>\n<div class=\"row\">";
    for (const auto& f : report["families"]) {
        if (f["runs"].empty()) continue;
        std::vector<Series> losses;
        for (const auto& [name, curve] : f["runs"][0]["loss"].items()) losses.push_back(points(name, curve));
        h += line_chart(f["label"].get<std::string>(), "step", "loss", losses);
    }
    h += "</div>\n";

    h += "<h2>Commands</h2>\n<pre>" + escape_xml(report["command"].get<std::string>()) + "</pre>\n<p>Each run:</p><pre>";
    for (const auto& f : report["families"]) {
        for (const auto& r : f["runs"]) h += escape_xml(r["command"].get<std::string>()) + "\n";
        for (const auto& smp : f["efficiency"]["sampling"]) h += escape_xml(smp["command"].get<std::string>()) + "\n";
    }
    h += "</pre>\n<p>Every number: report.json beside this file.</p>\n</body></html>\n";
    return h;
}

}  // namespace genhost::compare
