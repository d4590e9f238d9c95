// translate: test images of one data domain, what the model makes of them in the other,
// and what it makes of that back in the first (translation models: genhost.translator/1,
// trained on data.domains). One grid per direction, in blocks of three rows: inputs,
// translations, reconstructions.
#include "run/context.hpp"
#include "run/data_options.hpp"
#include "run/stages/sample_checks.hpp"
#include "run/stages/stage.hpp"
#include "sample/latent.hpp"
#include "sample/translate.hpp"
#include "util/error.hpp"

namespace genhost::run {

namespace {

std::vector<std::string> directions(const nlohmann::json& section) {
    const std::string d = section["direction"].get<std::string>();
    if (d == "both") return {"a_to_b", "b_to_a"};
    return {d};
}

// The test images of domain `from` the stage translates; refuses a domain that has none.
sample::Images source_images(const RunContext& run, const std::string& from) {
    const sample::Images x =
        domain_test_images(run.p["data"], run.services.seed, from, run.p["translate"]["count"].get<int64_t>(), run.range())
            .images;
    if (x.n == 0)
        throw Error(run.at("translate") + ": domain " + from + " has no test images to translate (its classes "
                                          "are missing from the test split)");
    return x;
}

void check(const RunContext& run, Problems& problems) {
    if (!run.model->translator())
        problems.add(run.at("translate") + ": plugin '" + run.model->id() + "' cannot translate images (it has no " +
                     GENHOST_EXT_TRANSLATOR + "); remove the translate section");
    if (!has_domains(run.p["data"]))
        problems.add(run.at("translate") + ": translates test images of one data domain into the other, but data has "
                                           "no domains; add data.domains: {a: {...}, b: {...}} (docs/data.md)");
    const nlohmann::json& s = run.p["translate"];
    check_grid(run, 3 * s["count"].get<int64_t>(), {{"columns", s["columns"]}, {"padding", 2}}, "translate", problems);
    if (!run.model->translator() || !has_domains(run.p["data"])) return;
    // The test images are read now, not after training: a domain without a test split or
    // without its classes in it is refused before any work.
    for (const std::string& direction : directions(s)) {
        try {
            source_images(run, direction.substr(0, 1));
        } catch (const Error& e) {
            problems.add(e.what());
        }
    }
}

void run_stage(RunContext& run) {
    const nlohmann::json& s = run.p["translate"];
    const int64_t columns = s["columns"].get<int64_t>();
    for (const std::string& direction : directions(s)) {
        const std::string from = direction.substr(0, 1), to = direction.substr(5, 1);
        const sample::Images x = source_images(run, from);
        const uint32_t there = sample::translate_direction(direction), back = sample::translate_direction(to + "_to_" + from);
        const sample::Images y = sample::translate(*run.model, x, there, 64);
        const sample::Images z = sample::translate(*run.model, y, back, 64);
        const auto file = run.out / ("translate_" + direction + ".png");
        nlohmann::json grid = {{"columns", columns}, {"padding", 2}};
        if (s["scale"].get<int64_t>() > 0) grid["scale"] = s["scale"];
        run.save_grid(file, sample::interleave_rows({&x, &y, &z}, columns), grid);
        run.say("translate: " + std::to_string(x.n) + " test images of domain " + from + " (first rows), into " + to +
                " (second) and back into " + from + " (third) -> " + file.string());
    }
}

}  // namespace

extern const Stage translate_stage = {"translate", false,
                                      [](const nlohmann::json& p) { return has_section(p, "translate"); }, check, run_stage};

}  // namespace genhost::run
