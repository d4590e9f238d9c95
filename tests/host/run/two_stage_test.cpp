// Two-stage runs (docs/two-stage.md) through the genhost program with the real plugins on
// tiny models and `shapes` data: a VQ-VAE, then a Gated PixelCNN prior trained on its
// code maps (data.encode_with) whose samples it decodes (sample.decode_with); and every
// mismatch refused before any work, by run and validate alike.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/genhost_run.hpp"
#include "checkpoint/reader.hpp"
#include "checkpoint/writer.hpp"
#include "util/sha256.hpp"

namespace fs = std::filesystem;
using genhost::testing::run::pipeline;
using genhost::testing::run::read;
using genhost::testing::run::run_genhost;

namespace {

// A VQ-VAE with K codes trained for a few steps on side x side shapes; returns its checkpoint.
fs::path train_vqvae(const fs::path& d, const std::string& name, int64_t side, int64_t codes, uint64_t seed = 0) {
    auto p = pipeline(d,
                      "seed: " + std::to_string(seed) + "\ndata: {dataset: shapes, size: 64, image_size: " +
                          std::to_string(side) +
                          ", batch_size: 16}\n"
                          "model: {plugin: vqvae, params: {codebook_size: " +
                          std::to_string(codes) +
                          ", code_dim: 4, hidden: 8, res_blocks: 0, codebook_update: ema}}\n"
                          "train: {steps: 3, checkpoint_every: 0}\n",
                      name + ".yaml");
    auto r = run_genhost("run " + p.string() + " --quiet --overwrite --output " + (d / name).string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    return d / name / "checkpoint.safetensors";
}

// The prior's pipeline: a tiny Gated PixelCNN over the codes of `checkpoint`.
std::string prior(const fs::path& checkpoint, int64_t side, int64_t levels, const std::string& extra = "") {
    return "components: {vq: {checkpoint: " + checkpoint.string() + "}}\n" +
           "data: {dataset: shapes, size: 64, image_size: " + std::to_string(side) +
           ", batch_size: 16, encode_with: vq}\n"
           "model: {plugin: gated_pixelcnn, params: {levels: " +
           std::to_string(levels) +
           ", channels: 4, layers: 2, first_kernel: 3, output_channels: 8, input: embedding, embedding_dim: 4}}\n"
           "train: {steps: 2, checkpoint_every: 0}\n"
           "sample: {count: 3, decode_with: vq}\n" +
           extra;
}

}  // namespace

TEST_CASE("a prior trains on a VQ-VAE's code maps and its samples are decoded to images", "[run][two-stage]") {
    auto d = genhost::testing::run::dir("two_stage_full");
    const fs::path vq = train_vqvae(d, "vq", 16, 8);
    auto p = pipeline(d, prior(vq, 16, 8, "evaluate: {likelihood: {count: 10}}\n"));
    auto r = run_genhost("run " + p.string() + " --output " + (d / "prior").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.output, Catch::Contains("encoded 64 images into 1x4x4 code maps with component 'vq'"));
    // The prior saw 1x4x4 code maps; its samples were decoded to 1x16x16 images.
    const std::string npy = read(d / "prior" / "samples.npy");
    CHECK_THAT(npy, Catch::Contains("'shape': (3, 1, 16, 16)"));
    auto meta = genhost::checkpoint::Checkpoint::read((d / "prior" / "checkpoint.safetensors").string()).metadata();
    CHECK(nlohmann::json::parse(meta.at("data"))["height"] == 4);
    // The component that made the codes is recorded by its hash.
    const auto metrics = nlohmann::json::parse(read(d / "prior" / "metrics.json"));
    CHECK(metrics["components"]["vq"]["sha256"] == genhost::sha256_file(vq.string()));
    CHECK(metrics["likelihood"]["levels"] == 8);
    CHECK_THAT(metrics["likelihood"]["data"].get<std::string>(), Catch::Contains("code maps of component 'vq' (16 codes"));
}

TEST_CASE("two-stage mismatches are refused before any work, naming both sides and the fix", "[run][two-stage]") {
    auto d = genhost::testing::run::dir("two_stage_checks");
    const fs::path vq = train_vqvae(d, "vq", 16, 8);
    auto refused = [&](const std::string& text, const std::string& message) {
        auto p = pipeline(d, text);
        for (const char* command : {"validate ", "run "}) {
            auto r = run_genhost(command + p.string() + " --set output=" + (d / "never").string());
            INFO(command << r.output);
            CHECK(r.code != 0);
            CHECK_THAT(r.output, Catch::Contains(message));
        }
        CHECK_FALSE(fs::exists(d / "never"));
    };
    SECTION("no such component") {
        std::string text = prior(vq, 16, 8);
        text.replace(text.find("encode_with: vq"), 15, "encode_with: vqq");
        refused(text, "data.encode_with: no component named 'vqq' (components: vq)");
    }
    SECTION("a component without the quantizer capability") {
        auto vae = pipeline(d,
                            "data: {dataset: shapes, size: 32, image_size: 16}\nmodel: {plugin: vae, params: "
                            "{hidden: [8], latent_dim: 2}}\ntrain: {steps: 1}\n",
                            "vae.yaml");
        REQUIRE(run_genhost("run " + vae.string() + " --quiet --overwrite --output " + (d / "vae").string()).code == 0);
        refused(prior(d / "vae" / "checkpoint.safetensors", 16, 8),
                "has neither genhost.quantizer/1 nor spatial latents (genhost.latent/1 with latent_shape)");
    }
    SECTION("a codebook size unlike the prior's levels") {
        refused(prior(vq, 16, 16), "has a codebook of 8 codes, but the model (plugin 'org.genhost.gated_pixelcnn') has "
                                   "16 levels; set model.params.levels: 8");
    }
    SECTION("data of another shape than the component was trained on") {
        refused(prior(vq, 32, 8), "was trained on 1x16x16 images, but the data");
    }
    SECTION("a prior trained on code maps of another shape") {
        auto p = pipeline(d, prior(vq, 16, 8), "prior.yaml");
        REQUIRE(run_genhost("run " + p.string() + " --quiet --overwrite --output " + (d / "prior").string()).code == 0);
        const fs::path big = train_vqvae(d, "big", 32, 8);
        refused("components: {vq: {checkpoint: " + big.string() + "}}\nmodel: {plugin: gated_pixelcnn, checkpoint: " +
                    (d / "prior" / "checkpoint.safetensors").string() + "}\nsample: {count: 2, decode_with: vq}\n",
                "makes 1x8x8 code maps, but the model (plugin 'org.genhost.gated_pixelcnn') was trained on 1x4x4 data");
    }
    SECTION("samples of codes that nothing decodes") {
        std::string text = prior(vq, 16, 8);
        text.replace(text.find(", decode_with: vq"), 17, "");
        refused(text, "so its samples are code maps, not images; add sample: {decode_with: vq}");
    }
}

TEST_CASE("resuming a prior whose VQ-VAE changed is refused", "[run][two-stage]") {
    auto d = genhost::testing::run::dir("two_stage_resume");
    const fs::path vq = train_vqvae(d, "vq", 16, 8);
    auto p = pipeline(d, prior(vq, 16, 8));
    REQUIRE(run_genhost("run " + p.string() + " --quiet --output " + (d / "prior").string()).code == 0);
    train_vqvae(d, "vq", 16, 8, /*seed=*/5);  // the same path, other weights
    auto r = run_genhost("run " + p.string() + " --resume --set train.steps=4 --output " + (d / "prior").string());
    INFO(r.output);
    CHECK(r.code != 0);
    CHECK_THAT(r.output, Catch::Contains("components.vq: its checkpoint changed"));
}

TEST_CASE("a run written before data.encode_with existed still resumes", "[run][two-stage][resume]") {
    auto d = genhost::testing::run::dir("two_stage_old_run");
    const fs::path vq = train_vqvae(d, "vq", 16, 8);
    // Rewrite the checkpoint as an older genhost did: its saved pipeline has no encode_with.
    auto old = genhost::checkpoint::Checkpoint::read(vq.string());
    genhost::checkpoint::Writer w;
    for (const auto& name : old.names()) {
        const auto& t = old.tensor(name);
        w.add(name, t.dtype, t.shape, t.data, t.size_bytes);
    }
    for (auto [key, value] : old.metadata()) {
        if (key == "pipeline") {
            const size_t at = value.find("encode_with");
            REQUIRE(at != std::string::npos);
            value.erase(value.rfind('\n', at) + 1, value.find('\n', at) - value.rfind('\n', at));
            REQUIRE(value.find("encode_with") == std::string::npos);
        }
        w.set_metadata(key, value);
    }
    w.write_atomic(vq.string());
    auto r = run_genhost("run " + (d / "vq.yaml").string() + " --resume --set train.steps=4 --output " +
                         (d / "vq").string());
    INFO(r.output);
    CHECK(r.code == 0);
}

TEST_CASE("latent diffusion: a U-Net trains on a VAE's scaled spatial latents and its samples are decoded",
          "[run][two-stage][latent]") {
    auto d = genhost::testing::run::dir("two_stage_latent");
    auto vae = pipeline(d,
                        "data: {dataset: shapes, size: 64, image_size: 16, batch_size: 16}\n"
                        "model: {plugin: vae, params: {architecture: conv, conv_channels: [4, 8], latent_channels: 2, "
                        "beta: 0.1}}\ntrain: {steps: 3, checkpoint_every: 0}\n",
                        "vae.yaml");
    REQUIRE(run_genhost("run " + vae.string() + " --quiet --output " + (d / "vae").string()).code == 0);
    const std::string diffusion =
        "components: {vae: {checkpoint: " + (d / "vae" / "checkpoint.safetensors").string() + "}}\n" +
        "data: {dataset: shapes, size: 64, image_size: 16, batch_size: 16, range: [-1, 1], encode_with: vae}\n"
        "model: {plugin: unet, params: {base_channels: 8, channel_mult: [1], attention_resolutions: [], "
        "norm_num_groups: 4, attention_head_dim: 8}}\n"
        "scheduler: {plugin: ddpm, params: {num_train_timesteps: 20, num_inference_steps: 20, clip_sample: false}}\n"
        "train: {steps: 2, checkpoint_every: 0}\nsample: {count: 3, decode_with: vae}\n";
    auto p = pipeline(d, diffusion, "ld.yaml");
    auto r = run_genhost("run " + p.string() + " --output " + (d / "ld").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.output, Catch::Contains("into 2x4x4 latent maps with component 'vae'"));
    CHECK_THAT(read(d / "ld" / "samples.npy"), Catch::Contains("'shape': (3, 1, 16, 16)"));
    // The scale factor travels with the model: a later run samples with the same one.
    auto meta = genhost::checkpoint::Checkpoint::read((d / "ld" / "checkpoint.safetensors").string()).metadata();
    REQUIRE(meta.count("latent_scale"));
    CHECK(nlohmann::json::parse(meta.at("latent_scale")).get<float>() > 0.0f);
    auto s = pipeline(d,
                      "components: {vae: {checkpoint: " + (d / "vae" / "checkpoint.safetensors").string() + "}}\n" +
                          "model: {plugin: unet, checkpoint: " + (d / "ld" / "checkpoint.safetensors").string() +
                          "}\nscheduler: {plugin: ddpm, params: {num_train_timesteps: 20, num_inference_steps: 20, clip_sample: false}}\n"
                          "sample: {count: 2, decode_with: vae}\n",
                      "sample.yaml");
    auto again = run_genhost("run " + s.string() + " --output " + (d / "again").string());
    INFO(again.output);
    CHECK(again.code == 0);
    CHECK_THAT(read(d / "again" / "samples.npy"), Catch::Contains("'shape': (2, 1, 16, 16)"));
    // Latents are for a denoiser: an autoregressive prior over them is refused.
    std::string wrong = diffusion;
    wrong.replace(wrong.find("model: {plugin: unet"), wrong.find("\nscheduler") - wrong.find("model: {plugin: unet"),
                  "model: {plugin: pixelcnn, params: {channels: 6, layers: 1}}");
    wrong.erase(wrong.find("scheduler: "), wrong.find("\ntrain") - wrong.find("scheduler: ") + 1);
    auto w = pipeline(d, wrong, "wrong.yaml");
    auto refused = run_genhost("validate " + w.string());
    INFO(refused.output);
    CHECK(refused.code != 0);
    CHECK_THAT(refused.output, Catch::Contains("is no diffusion denoiser (genhost.denoiser/1); use unet"));
}
