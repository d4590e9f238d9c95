// Line charts as inline SVG text, for the comparison report: plain code, no library,
// no script. Each series gets a colour of a fixed palette and a legend entry.
//
//   std::string svg = line_chart("FID over training", "step", "FID", {{"vae", {{100, 80.5}, {200, 61.2}}}});
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace genhost::compare {

struct Series {
    std::string name;
    std::vector<std::pair<double, double>> points;  // (x, y), in x order; non-finite y skipped
};

// An SVG element of `width` x `height` pixels with axes, ticks at the ends and the
// middle, a legend and one polyline (plus dots) per series. `log_y`: a log10 y axis
// (for losses that fall by orders of magnitude); values <= 0 are then skipped.
std::string line_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                       const std::vector<Series>& series, bool log_y = false, int width = 460, int height = 280);

// `text` with & < > " escaped, for HTML and SVG.
std::string escape_xml(const std::string& text);

}  // namespace genhost::compare
