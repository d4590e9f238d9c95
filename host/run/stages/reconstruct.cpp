// reconstruct: test images beside the model's reconstructions (models that encode: a
// latent space's posterior mean, or a quantizer's code maps).
#include "run/context.hpp"
#include "sample/codes.hpp"
#include "run/stages/sample_checks.hpp"
#include "run/stages/stage.hpp"

namespace genhost::run {

namespace {

void check(const RunContext& run, Problems& problems) {
    const genhost_latent* latent = run.model->latent();
    if ((!latent || !latent->encode) && !run.model->quantizer())
        problems.add(run.at("reconstruct") + ": plugin '" + run.model->id() +
                     "' cannot encode images (it has neither genhost.latent/1 encode nor genhost.quantizer/1); remove "
                     "the reconstruct section");
    const int64_t count = run.p["reconstruct"]["count"].get<int64_t>();
    check_grid(run, 2 * count, {{"columns", run.p["reconstruct"]["columns"]}, {"padding", 2}}, "reconstruct", problems);
}

void run_stage(RunContext& run) {
    const nlohmann::json& s = run.p["reconstruct"];
    const int64_t columns = s["columns"].get<int64_t>();
    const sample::LabelledImages x = run.test_images(s["count"].get<int64_t>());
    const genhost_latent* latent = run.model->latent();
    sample::Images grid = latent && latent->encode ? sample::reconstructions(*run.model, x, columns)
                                                   : sample::code_reconstructions(*run.model, x.images, columns);
    run.save_grid(run.out / "reconstructions.png", grid, {{"columns", columns}, {"padding", 2}});
    run.say("reconstruct: test images (odd rows) and their reconstructions (even rows) -> " +
            (run.out / "reconstructions.png").string());
}

}  // namespace

extern const Stage reconstruct_stage = {"reconstruct", true, [](const nlohmann::json& p) { return has_section(p, "reconstruct"); },
                                        check, run_stage};

}  // namespace genhost::run
