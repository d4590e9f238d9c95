// The numbers and their layout: statistics, the stars rule, the SVG charts, the reports.
#include <catch2/catch.hpp>

#include <fstream>

#include "compare/measure.hpp"
#include "compare/report.hpp"
#include "compare/stars.hpp"
#include "compare/svg_chart.hpp"
#include "image/png.hpp"
#include "support/scratch.hpp"

namespace fs = std::filesystem;
using namespace genhost::compare;

TEST_CASE("mean and sample standard deviation skip missing values") {
    const auto s = mean_std({1.0, 2.0, 3.0, std::nan("")});
    CHECK(s["mean"].get<double>() == Approx(2.0));
    CHECK(s["std"].get<double>() == Approx(1.0));
    CHECK(s["n"] == 3);
    CHECK(mean_std({5.0})["std"].get<double>() == 0.0);
    CHECK(mean_std({}).is_null());
}

TEST_CASE("train_log.csv is read with empty cells as missing") {
    const fs::path d = genhost::testing::fresh_scratch_dir("compare/csv");
    std::ofstream(d / "log.csv") << "step,epoch,g.loss,lr,images_per_s,seconds,fid\n10,0,1.5,0.001,100,1,\n20,0,1.2,0.001,120,2,55.5\n";
    const Table t = read_csv(d / "log.csv");
    REQUIRE(t.rows.size() == 2);
    CHECK(t.column("fid") == 6);
    CHECK(std::isnan(t.rows[0][6]));
    CHECK(t.rows[1][6] == 55.5);
}

namespace {

nlohmann::json family(const std::string& name, double fid, double seeds_std, double last_std, double rate, double sample_s,
                      const std::string& likelihood) {
    return {{"name", name},
            {"label", name},
            {"quality", {{"fid", {{"mean", fid}, {"std", seeds_std}, {"n", 3}}}}},
            {"stability", {{"fid_std_over_seeds", seeds_std}, {"fid_std_over_last_evaluations", {{"mean", last_std}, {"std", 0}, {"n", 3}}}}},
            {"efficiency", {{"train_images_per_s", {{"mean", rate}, {"std", 0}, {"n", 3}}},
                            {"sampling", {{{"sampler", "s"}, {"seconds", sample_s}, {"images", 64}, {"peak_mb", 100}, {"grid", "none.png"}, {"command", "genhost run x"}}}}}},
            {"likelihood", {{"label", likelihood}, {"bits_per_dim", {{"mean", 1.5}, {"std", 0.1}, {"n", 3}}}}},
            {"runs", nlohmann::json::array()}};
}

}  // namespace

TEST_CASE("stars: 3 for the best, 1 for the worst, linear between, and likelihood by kind") {
    nlohmann::json families = {family("a", 10, 1, 1, 1000, 0.1, "bound"), family("b", 20, 1, 1, 100, 10, "none"),
                               family("c", 30, 3, 3, 10, 100, "exact")};
    add_stars(families);
    CHECK(families[0]["stars"]["quality"] == 3);
    CHECK(families[1]["stars"]["quality"] == 2);
    CHECK(families[2]["stars"]["quality"] == 1);
    CHECK(families[0]["stars"]["efficiency"] == 3);
    CHECK(families[2]["stars"]["efficiency"] == 1);
    CHECK(families[0]["stars"]["likelihood"] == 2);
    CHECK(families[1]["stars"]["likelihood"].is_null());
    CHECK(families[2]["stars"]["likelihood"] == 3);
    CHECK(format_stars(2) == "★★☆");
    CHECK(format_stars(nullptr) == "none");
}

TEST_CASE("equal scores give every family 3 stars") {
    nlohmann::json families = {family("a", 10, 1, 1, 100, 1, "none"), family("b", 10, 1, 1, 100, 1, "none")};
    add_stars(families);
    CHECK(families[0]["stars"]["quality"] == 3);
    CHECK(families[1]["stars"]["quality"] == 3);
}

TEST_CASE("a line chart is SVG with one polyline per series and escaped text") {
    const std::string svg = line_chart("FID <over> training", "step", "FID", {{"a&b", {{0, 1}, {10, 2}}}, {"c", {{0, 3}}}});
    CHECK(svg.rfind("<svg", 0) == 0);
    CHECK_THAT(svg, Catch::Contains("FID &lt;over&gt; training"));
    CHECK_THAT(svg, Catch::Contains("a&amp;b"));
    size_t lines = 0;
    for (size_t at = svg.find("<polyline"); at != std::string::npos; at = svg.find("<polyline", at + 1)) ++lines;
    CHECK(lines == 2);
    CHECK_THAT(line_chart("empty", "x", "y", {}), Catch::Contains("no data"));
}

TEST_CASE("the HTML report embeds its grids as data URIs and names the version") {
    const fs::path d = genhost::testing::fresh_scratch_dir("compare/html");
    const std::vector<uint8_t> pixels(4 * 4, 200);
    genhost::image::write_png((d / "g.png").string(), pixels.data(), 4, 4, 1);
    nlohmann::json f = family("vae", 10, 1, 1, 100, 1, "bound");
    f["efficiency"]["sampling"][0]["grid"] = (d / "g.png").string();
    nlohmann::json families = {f};
    add_stars(families);
    const nlohmann::json report = {{"name", "t"}, {"genhost_version", "9.9"}, {"date", "today"}, {"command", "genhost compare c.yaml"},
                                   {"stars_rule", stars_rule()}, {"families", families},
                                   {"settings", {{"budget", {{"images", 10}}}, {"seeds", {0}}, {"samples", 8}, {"sample_images", 64},
                                                 {"fid_over_training", {{"last", 3}}}}}};
    const std::string html = report_html(report);
    CHECK_THAT(html, Catch::Contains("src=\"data:image/png;base64,iVBORw0KGgo"));
    CHECK_THAT(html, Catch::Contains("genhost 9.9"));
    CHECK_THAT(html, Catch::Contains("Training stability"));
    CHECK(html.find("http://") == html.find("http://www.w3.org/2000/svg"));  // no fetches: only the SVG namespace
    const std::string md = report_markdown(report);
    CHECK_THAT(md, Catch::Contains("| Sample quality | ★★★ (FID 10.0 ± 1.0) |"));
    // The stability cell says what its stars rank: the swings relative to the FID, (1 + 1) / 10.
    CHECK_THAT(md, Catch::Contains("FID std 1.0 over seeds + 1.0 ± 0.0 at the end, together 20.0% of FID)"));
}
