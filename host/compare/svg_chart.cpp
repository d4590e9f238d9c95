#include "compare/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace genhost::compare {

namespace {

const char* const kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f"};

std::string number(double v) {
    std::ostringstream s;
    s.precision(std::fabs(v) >= 1000 || v == std::floor(v) ? 6 : 3);
    s << v;
    return s.str();
}

}  // namespace

std::string escape_xml(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string line_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                       const std::vector<Series>& series, bool log_y, int width, int height) {
    const auto y_of = [&](double y) { return log_y ? std::log10(y) : y; };
    const auto usable = [&](double y) { return std::isfinite(y) && (!log_y || y > 0); };
    double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
    for (const auto& s : series)
        for (const auto& [x, y] : s.points)
            if (usable(y)) x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y_of(y)), y1 = std::max(y1, y_of(y));
    // The legend: entries left to right, wrapping onto more rows below the plot.
    std::vector<std::pair<double, int>> legend;  // x and row of each entry
    double next_x = 62;
    int row = 0;
    for (const auto& s : series) {
        const double w = 24 + 6.5 * static_cast<double>(s.name.size());
        if (next_x > 62 && next_x + w > width - 12.0) next_x = 62, ++row;
        legend.emplace_back(next_x, row);
        next_x += w;
    }
    const int legend_rows = row + 1;
    height += 14 * (legend_rows - 1);
    const double left = 62, right = width - 12.0, top = 28, bottom = height - 44.0 - 14.0 * legend_rows;
    std::ostringstream svg;
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 "
        << width << " " << height << "\" font-family=\"sans-serif\" font-size=\"11\">"
        << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
        << "<text x=\"" << width / 2 << "\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">" << escape_xml(title) << "</text>";
    if (!std::isfinite(x0)) {
        svg << "<text x=\"" << width / 2 << "\" y=\"" << height / 2 << "\" text-anchor=\"middle\">no data</text></svg>";
        return svg.str();
    }
    if (x1 - x0 < 1e-12) x0 -= 1, x1 += 1;
    if (y1 - y0 < 1e-12) y0 -= 0.5, y1 += 0.5;
    const double pad = (y1 - y0) * 0.05;
    y0 -= pad, y1 += pad;
    const auto px = [&](double x) { return left + (x - x0) / (x1 - x0) * (right - left); };
    const auto py = [&](double y) { return bottom - (y_of(y) - y0) / (y1 - y0) * (bottom - top); };
    const auto py_axis = [&](double v) { return bottom - (v - y0) / (y1 - y0) * (bottom - top); };
    svg << "<g stroke=\"#444\" fill=\"none\"><line x1=\"" << left << "\" y1=\"" << bottom << "\" x2=\"" << right << "\" y2=\""
        << bottom << "\"/><line x1=\"" << left << "\" y1=\"" << top << "\" x2=\"" << left << "\" y2=\"" << bottom << "\"/></g>";
    for (double t : {0.0, 0.5, 1.0}) {
        const double xv = x0 + t * (x1 - x0), yv = y0 + t * (y1 - y0);
        svg << "<text x=\"" << px(xv) << "\" y=\"" << bottom + 14 << "\" text-anchor=\"middle\">" << number(xv) << "</text>"
            << "<text x=\"" << left - 4 << "\" y=\"" << py_axis(yv) + 4 << "\" text-anchor=\"end\">"
            << number(log_y ? std::pow(10.0, yv) : yv) << "</text>"
            << "<line x1=\"" << left << "\" y1=\"" << py_axis(yv) << "\" x2=\"" << right << "\" y2=\"" << py_axis(yv)
            << "\" stroke=\"#ddd\"/>";
    }
    svg << "<text x=\"" << (left + right) / 2 << "\" y=\"" << bottom + 28 << "\" text-anchor=\"middle\">" << escape_xml(x_label)
        << "</text><text transform=\"translate(12," << (top + bottom) / 2 << ") rotate(-90)\" text-anchor=\"middle\">"
        << escape_xml(y_label + (log_y ? " (log scale)" : "")) << "</text>";
    for (size_t i = 0; i < series.size(); ++i) {
        const char* colour = kPalette[i % (sizeof kPalette / sizeof *kPalette)];
        std::ostringstream line;
        for (const auto& [x, y] : series[i].points)
            if (usable(y)) line << px(x) << "," << py(y) << " ";
        svg << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"1.8\" points=\"" << line.str() << "\"/>";
        for (const auto& [x, y] : series[i].points)
            if (usable(y)) svg << "<circle cx=\"" << px(x) << "\" cy=\"" << py(y) << "\" r=\"2.2\" fill=\"" << colour << "\"/>";
        const double lx = legend[i].first, ly = bottom + 36 + 14.0 * legend[i].second;
        svg << "<rect x=\"" << lx << "\" y=\"" << ly << "\" width=\"10\" height=\"10\" fill=\"" << colour
            << "\"/><text x=\"" << lx + 14 << "\" y=\"" << ly + 9 << "\">" << escape_xml(series[i].name) << "</text>";
    }
    svg << "</svg>";
    return svg.str();
}

}  // namespace genhost::compare
