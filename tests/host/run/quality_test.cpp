// Sample quality as the host computes it: components loaded from checkpoints, features
// computed once by the judge, metrics in metrics.json with the judge's identity, and
// `genhost score` on images made elsewhere.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <random>

#include "data/load.hpp"
#include "image/npy_write.hpp"
#include "support/genhost_run.hpp"

using namespace genhost::testing::run;

namespace {

// Trains a feature network into d/judge (the pixel-stats test plugin by default, with one
// parameter; or the classifier plugin); returns its checkpoint.
fs::path train_judge(const fs::path& d, int image_size = 12, const std::string& model = "{plugin: pixel-stats}",
                     const std::string& train = "{steps: 3, log_every: 1, optimizer: {type: sgd, lr: 0.1}}",
                     int size = 64) {
    const auto file = pipeline(d, "data: {dataset: shapes, size: " + std::to_string(size) + ", batch_size: 64, image_size: " +
                                      std::to_string(image_size) + "}\nmodel: " + model + "\ntrain: " + train +
                                      "\noutput: " + (d / "judge").string() + "\n",
                               "judge.yaml");
    auto r = run_genhost("run " + file.string() + " --quiet");
    INFO(r.output);
    REQUIRE(r.code == 0);
    return d / "judge" / "checkpoint.safetensors";
}

}  // namespace

TEST_CASE("evaluate scores samples in a component's feature space and names it", "[run][quality]") {
    auto d = dir("quality/evaluate");
    const fs::path judge = train_judge(d);
    const auto file = pipeline(d, "data: {dataset: shapes, size: 64, batch_size: 16, image_size: 12}\n"
                                  "model: {plugin: mean-image, params: {noise: 0.2}}\n"
                                  "components: {judge: {checkpoint: " + judge.string() + "}}\n"
                                  "train: {steps: 4, log_every: 2, evaluate_every: 2}\n"
                                  "evaluate: {metrics: [mean-pixel, fid], features: judge, count: 20, during_training: 10}\n"
                                  "output: " + (d / "out").string() + "\n");
    auto r = run_genhost("run " + file.string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.output, Catch::Contains("evaluate: fid ") && Catch::Contains("mean_pixel "));
    const auto m = nlohmann::json::parse(read(d / "out" / "metrics.json"))["metrics"];
    CHECK(m.contains("mean_pixel"));
    CHECK(m["images"]["generated"] == 20);
    CHECK(m["judge"]["checkpoint"] == judge.string());
    CHECK(m["judge"]["sha256"].get<std::string>().size() == 64);
    // FID over training: a column of train_log.csv, filled every evaluate_every steps.
    const std::string log = read(d / "out" / "train_log.csv");
    CHECK_THAT(log.substr(0, log.find('\n')), Catch::EndsWith(",mean_pixel,fid"));
    CHECK(m["fid"].get<double>() >= 0);
}

TEST_CASE("resume refuses a run whose component changed", "[run][quality][resume]") {
    auto d = dir("quality/resume");
    const fs::path judge = train_judge(d);
    const std::string text = "data: {dataset: shapes, size: 64, batch_size: 16, image_size: 12}\n"
                             "model: {plugin: mean-image}\n"
                             "components: {judge: {checkpoint: " + judge.string() + "}}\n"
                             "train: {steps: 2, log_every: 1}\n"
                             "output: " + (d / "out").string() + "\n";
    REQUIRE(run_genhost("run " + pipeline(d, text).string() + " --quiet").code == 0);
    // The judge trained one step more is another feature network.
    auto again = run_genhost("run " + (d / "judge.yaml").string() + " --quiet --resume --set train.steps=4");
    INFO(again.output);
    REQUIRE(again.code == 0);
    auto r = run_genhost("run " + pipeline(d, text).string() + " --quiet --resume --set train.steps=4");
    INFO(r.output);
    CHECK(r.code == 1);
    CHECK_THAT(r.output, Catch::Contains("components.judge: its checkpoint changed"));
}

TEST_CASE("score rates a .npy file with a named judge, and refuses bad images clearly", "[run][quality][score]") {
    auto d = dir("quality/score");
    const fs::path judge = train_judge(d, 28);  // --data shapes is 28x28
    std::vector<float> images(6 * 28 * 28);
    for (size_t i = 0; i < images.size(); ++i) images[i] = float(i % 7) / 7.0f;
    genhost::image::write_npy_f32((d / "x.npy").string(), images.data(), {6, 1, 28, 28});
    const std::string common = " --data shapes --judge " + judge.string() + " --metrics mean-pixel,fid --quiet";
    auto r = run_genhost("score " + (d / "x.npy").string() + common + " --output " + (d / "scores").string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    const auto m = nlohmann::json::parse(read(d / "scores" / "metrics.json"));
    CHECK(m["mean_pixel"].get<double>() == Approx(3.0 / 7.0).epsilon(1e-4));
    CHECK(m["judge"]["sha256"].get<std::string>().size() == 64);

    genhost::image::write_npy_f32((d / "one.npy").string(), images.data(), {1, 1, 28, 28});
    CHECK_THAT(run_genhost("score " + (d / "one.npy").string() + common).output, Catch::Contains("at least 2"));
    std::vector<float> wide(4 * 3 * 28 * 28, 0.5f);
    genhost::image::write_npy_f32((d / "rgb.npy").string(), wide.data(), {4, 3, 28, 28});
    CHECK_THAT(run_genhost("score " + (d / "rgb.npy").string() + common).output,
               Catch::Contains("3x28x28") && Catch::Contains("1x28x28"));
    images[5] = std::nanf("");
    genhost::image::write_npy_f32((d / "nan.npy").string(), images.data(), {6, 1, 28, 28});
    CHECK_THAT(run_genhost("score " + (d / "nan.npy").string() + common).output, Catch::Contains("NaN"));
    fs::create_directories(d / "empty");
    CHECK(run_genhost("score " + (d / "empty").string() + common).code == 1);
}

namespace {

// The shapes training split as a .npy, with Gaussian noise of `sigma` (clipped to [0, 1]),
// keeping only `classes` when given.
fs::path shapes_npy(const fs::path& d, const std::string& name, float sigma, std::vector<int64_t> classes = {}) {
    genhost::data::DataOptions o = genhost::data::data_default_options();
    o.kind = "shapes";
    o.shapes.count = 600;
    o.classes = classes;
    genhost::data::Dataset ds = genhost::data::load_dataset(o);
    std::vector<float> kept;
    std::mt19937 rng(7);
    std::normal_distribution<float> noise(0.0f, 1.0f);
    int64_t n = 0;
    for (int64_t i = 0; i < ds.n; ++i) {
        if (!classes.empty() && std::find(classes.begin(), classes.end(), ds.labels[size_t(i)]) == classes.end()) continue;
        for (int64_t j = 0; j < ds.image_size(); ++j)
            kept.push_back(std::clamp(ds.image(i)[j] + sigma * noise(rng), 0.0f, 1.0f));
        ++n;
    }
    const fs::path file = d / (name + ".npy");
    genhost::image::write_npy_f32(file.string(), kept.data(), {n, 1, ds.height, ds.width});
    return file;
}

nlohmann::json score(const fs::path& d, const fs::path& images, const fs::path& judge, const std::string& metrics) {
    auto r = run_genhost("score " + images.string() + " --data shapes --count 300 --judge " + judge.string() +
                         " --metrics " + metrics + " --quiet --output " + (d / images.stem()).string());
    INFO(r.output);
    REQUIRE(r.code == 0);
    return nlohmann::json::parse(read(d / images.stem() / "metrics.json"));
}

// The real judge: the classifier plugin trained briefly on shapes.
fs::path train_classifier_judge(const fs::path& d) {
    return train_judge(d, 28, "{plugin: classifier, params: {conv_channels: [8, 16], convs_per_stage: 1, feature_dim: 32}}",
                       "{steps: 60, log_every: 20, optimizer: {type: adam, lr: 0.003}}", 1000);
}

// A judge that tells the five shapes apart well enough to count classes: the 60-step one
// above puts the images of one shape into 2.5 effective classes.
fs::path train_accurate_judge(const fs::path& d) {
    return train_judge(d, 28, "{plugin: classifier, params: {conv_channels: [8, 16], convs_per_stage: 1, feature_dim: 32}}",
                       "{steps: 300, log_every: 100, optimizer: {type: adam, lr: 0.003}}", 3000);
}

}  // namespace

TEST_CASE("FID of training images against the test split is small and grows with noise", "[run][quality][score]") {
    auto d = dir("quality/fid-noise");
    const fs::path judge = train_classifier_judge(d);
    double previous = score(d, shapes_npy(d, "clean", 0.0f), judge, "fid")["fid"].get<double>();
    const double clean = previous;
    for (float sigma : {0.05f, 0.1f, 0.2f, 0.4f}) {
        const double fid = score(d, shapes_npy(d, "noise" + std::to_string(int(sigma * 100)), sigma), judge, "fid")["fid"];
        INFO("sigma " << sigma << ": FID " << fid << " after " << previous);
        CHECK(fid > previous);
        previous = fid;
    }
    CHECK(clean < 0.1 * previous);
}

TEST_CASE("precision and recall tell a mode-collapsed set from a noisy one", "[run][quality][score]") {
    auto d = dir("quality/prdc");
    const fs::path judge = train_classifier_judge(d);
    const auto clean = score(d, shapes_npy(d, "clean", 0.0f), judge, "prdc");
    const auto collapsed = score(d, shapes_npy(d, "one-class", 0.0f, {0}), judge, "prdc");
    const auto noisy = score(d, shapes_npy(d, "noisy", 0.4f), judge, "prdc");
    INFO("clean " << clean.dump() << "\ncollapsed " << collapsed.dump() << "\nnoisy " << noisy.dump());
    // Collapsed: every image looks real (high precision) but most real ones are missed.
    CHECK(collapsed["precision"].get<double>() > 0.8);
    CHECK(collapsed["recall"].get<double>() < clean["recall"].get<double>() - 0.3);
    // Noisy: the images themselves look wrong.
    CHECK(noisy["precision"].get<double>() < collapsed["precision"].get<double>() - 0.3);
}

TEST_CASE("class_spread counts the classes a collapsed set lost", "[run][quality][score]") {
    auto d = dir("quality/class-spread");
    const fs::path judge = train_accurate_judge(d);
    const auto clean = score(d, shapes_npy(d, "clean", 0.0f), judge, "class_spread");
    const auto collapsed = score(d, shapes_npy(d, "one-class", 0.0f, {0}), judge, "class_spread");
    const auto two = score(d, shapes_npy(d, "two-classes", 0.0f, {1, 3}), judge, "class_spread");
    INFO("clean " << clean.dump() << "\ncollapsed " << collapsed.dump() << "\ntwo " << two.dump());
    // Five shapes in equal numbers: the real set spreads over about 5 classes.
    CHECK(clean["class_spread_real"].get<double>() > 4.5);
    CHECK(clean["class_spread"].get<double>() > 4.5);
    CHECK(clean["classes_missing"] == 0);
    CHECK(collapsed["class_spread"].get<double>() < 1.3);
    CHECK(collapsed["classes_missing"] == 4);
    CHECK(two["class_spread"].get<double>() > 1.7);
    CHECK(two["class_spread"].get<double>() < 2.3);
    CHECK(two["classes_missing"] == 3);
}

TEST_CASE("label_accuracy tells a conditional model that draws the asked class from one that does not",
          "[run][quality]") {
    auto d = dir("quality/label-accuracy");
    const fs::path judge = train_accurate_judge(d);
    auto accuracy = [&](int shift) {
        const std::string out = (d / ("shift" + std::to_string(shift))).string();
        const auto file = pipeline(d, "data: {dataset: shapes, size: 200, batch_size: 50, image_size: 28}\n"
                                      "model: {plugin: class-prototype, params: {num_classes: 5, shift: " +
                                          std::to_string(shift) + "}}\n"
                                      "components: {judge: {checkpoint: " + judge.string() + "}}\n"
                                      "train: {steps: 2, log_every: 1, evaluate_every: 1, optimizer: {type: sgd, lr: 0.1}}\n"
                                      "evaluate: {metrics: [class_spread], features: judge, count: 50, during_training: 20}\n"
                                      "output: " + out + "\n",
                                   "shift" + std::to_string(shift) + ".yaml");
        auto r = run_genhost("run " + file.string());
        INFO(r.output);
        REQUIRE(r.code == 0);
        CHECK_THAT(r.output, Catch::Contains("label_accuracy "));
        // Also a column of train_log.csv beside the metric's values.
        const std::string log = read(fs::path(out) / "train_log.csv");
        CHECK_THAT(log.substr(0, log.find('\n')), Catch::EndsWith(",classes_missing,label_accuracy"));
        return nlohmann::json::parse(read(fs::path(out) / "metrics.json"))["metrics"];
    };
    const auto right = accuracy(0), wrong = accuracy(1);
    INFO("right " << right.dump() << "\nwrong " << wrong.dump());
    CHECK(right["label_accuracy"].get<double>() > 0.95);
    CHECK(right["label_accuracy_per_class"].size() == 5);
    CHECK(wrong["label_accuracy"].get<double>() < 0.05);
    // Each label draws one image: the samples spread over every class either way.
    CHECK(right["class_spread"].get<double>() > 4.5);
}

TEST_CASE("score trains the dataset's judge on first use, caches it, and reuses it", "[run][quality][score][judge]") {
    auto d = dir("quality/default-judge");
    const fs::path images = shapes_npy(d, "clean", 0.0f);
    const std::string cmd = "XDG_CACHE_HOME=" + (d / "cache").string() + " " + kGenhost + " score " + images.string() +
                            " --data shapes --count 100 --metrics fid --judge-steps 5 " + kPlugins;
    auto first = genhost::testing::run_command(cmd);
    INFO(first.output);
    REQUIRE(first.code == 0);
    CHECK_THAT(first.output, Catch::Contains("judge: no feature network for this dataset yet"));
    fs::path folder;
    for (const auto& e : fs::directory_iterator(d / "cache" / "genhost" / "judges")) folder = e.path();
    CHECK(fs::exists(folder / "judge.yaml"));
    CHECK(fs::exists(folder / "checkpoint.safetensors"));
    auto second = genhost::testing::run_command(cmd);
    INFO(second.output);
    REQUIRE(second.code == 0);
    CHECK_THAT(second.output, !Catch::Contains("training"));
}
