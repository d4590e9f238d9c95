// evaluate: the test-set likelihood (exact for autoregressive models, else what
// genhost.likelihood/1 gives, labelled exact or bound), test accuracy (models
// that classify), and sample quality by the metrics of evaluate.metrics in the judge's
// feature space, all into metrics.json.
#include <genhost/cpp/tensor_view.hpp>

#include <sstream>
#include <numeric>

#include "checkpoint/atomic_file.hpp"
#include "evaluate/auroc.hpp"
#include "evaluate/likelihood.hpp"
#include "run/context.hpp"
#include "run/quality.hpp"
#include "run/stages/sample_checks.hpp"
#include "run/stages/stage.hpp"
#include "sample/codes.hpp"
#include "util/error.hpp"

namespace genhost::run {

namespace {

// What a likelihood number is, for the report's "kind": exact or a bound, of a
// probability mass over discrete values (bits/dim comparable with the literature's) or a
// density on [0, 1]^D (not on the same footing; docs/pipeline.md).
std::string likelihood_kind(bool exact, bool discrete) {
    return std::string(exact ? "exact" : "bound") + (discrete ? ", discrete" : ", density");
}

// The test-set log-likelihood: exact from the logits of an autoregressive model, else the
// ELBO and importance-weighted bound of genhost.likelihood/1; with data.classes, anomaly
// detection of the classes not trained on.
void likelihood_report(RunContext& run) {
    const nlohmann::json& e = run.p["evaluate"];
    const int64_t count = e["likelihood"]["count"].get<int64_t>();
    const auto k = e["likelihood"]["iw_samples"].get<uint32_t>();
    sample::LabelledImages x = run.test_images(count);
    const int64_t dims = x.images.channels * x.images.height * x.images.width;
    auto mean = [](const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size()); };
    std::vector<double> scores_ll;  // per image, for anomaly scores
    std::string score_name;
    if (run.model->autoregressive()) {
        const image::ValueRange r = run.range();
        scores_ll = evaluate::exact_log_likelihoods(*run.model, x, r.lo, r.hi, 64);
        const double ll = mean(scores_ll), bpd = evaluate::bits_per_dim(ll, dims);
        run.report["likelihood"] = {{"images", x.images.n},
                                    {"split", "test"},
                                    {"kind", likelihood_kind(true, true)},
                                    {"source", "logits"},
                                    {"levels", run.model->autoregressive()->num_levels(run.model->raw())},
                                    {"log_likelihood_nats", ll},
                                    {"nll_nats", -ll},
                                    {"bits_per_dim", bpd}};
        // With data.encode_with the dimensions are codes, not pixels: bits per code.
        const nlohmann::json& coder = run.p["data"]["encode_with"];
        if (!coder.is_null())
            run.report["likelihood"]["data"] = "code maps of component '" + coder.get<std::string>() + "' (" +
                                               std::to_string(dims) + " codes per image; bits_per_dim is per code)";
        run.say("evaluate: test NLL " + std::to_string(-ll) + " nats (" + std::to_string(bpd) +
                (coder.is_null() ? " bits/dim" : " bits per code") + "), exact, discrete");
        score_name = "negative log-likelihood (nats, exact)";
    } else {
        const uint32_t props = run.model->likelihood_properties();
        const bool exact = props & GENHOST_LIKELIHOOD_EXACT, discrete = props & GENHOST_LIKELIHOOD_DISCRETE;
        auto elbo = evaluate::log_likelihoods(*run.model, x, 1, run.services.seed, 256);
        auto iw = k > 1 && !exact ? evaluate::log_likelihoods(*run.model, x, k, run.services.seed + 1, 64) : elbo;
        run.report["likelihood"] = {{"images", x.images.n},
                                    {"split", "test"},
                                    {"kind", likelihood_kind(exact, discrete)},
                                    {"source", "genhost.likelihood/1"},
                                    {"elbo_nats", mean(elbo)},
                                    {"elbo_bits_per_dim", evaluate::bits_per_dim(mean(elbo), dims)},
                                    {"iw_samples", exact ? 1 : k},
                                    {"iw_bound_nats", mean(iw)},
                                    {"iw_bound_bits_per_dim", evaluate::bits_per_dim(mean(iw), dims)}};
        if (exact) {
            run.report["likelihood"]["log_likelihood_nats"] = mean(elbo);
            run.report["likelihood"]["nll_nats"] = -mean(elbo);
            run.report["likelihood"]["bits_per_dim"] = evaluate::bits_per_dim(mean(elbo), dims);
        }
        run.say("evaluate: test " + std::string(exact ? "log-likelihood " : "ELBO ") + std::to_string(mean(elbo)) +
                " nats (" + std::to_string(evaluate::bits_per_dim(mean(elbo), dims)) + " bits/dim)" +
                (exact ? "" : ", IW bound (K=" + std::to_string(k) + ") " + std::to_string(mean(iw)) + " nats") + ", " +
                likelihood_kind(exact, discrete));
        scores_ll = iw;
        score_name = exact ? "negative log-likelihood (nats, exact)" : "negative log-likelihood bound (nats)";
    }
    const std::vector<double>& iw = scores_ll;

    const auto trained = run.p["data"]["classes"].get<std::vector<int64_t>>();
    if (!e["anomaly"].get<bool>() || trained.empty() || x.labels.empty()) return;
    std::vector<double> scores;
    std::vector<bool> anomalous;
    std::ostringstream csv;
    csv << "index,label,anomalous,score\n";
    for (size_t i = 0; i < iw.size(); ++i) {
        const bool held_out = std::find(trained.begin(), trained.end(), x.labels[i]) == trained.end();
        scores.push_back(-iw[i]);
        anomalous.push_back(held_out);
        csv << i << "," << x.labels[i] << "," << (held_out ? 1 : 0) << "," << -iw[i] << "\n";
    }
    checkpoint::write_text_atomic((run.out / "anomaly_scores.csv").string(), csv.str());
    const double auc = evaluate::auroc(scores, anomalous);
    run.report["anomaly"] = {{"trained_classes", trained}, {"score", score_name},
                             {"auroc", auc}, {"scores", (run.out / "anomaly_scores.csv").string()}};
    run.say("evaluate: anomaly AUROC (held-out classes vs trained " + nlohmann::json(trained).dump() + ") = " +
            std::to_string(auc) + "; scores in " + (run.out / "anomaly_scores.csv").string());
}

// A classifier's (an embedder with classes) accuracy on the whole test split.
void accuracy_report(RunContext& run) {
    const loader::PluginInstance& m = *run.model;
    const int64_t k = m.embedding_classes(), d = m.feature_dim();
    sample::LabelledImages x = run.test_images(0);
    if (k == 0 || x.labels.empty()) return;
    const int64_t per = x.images.channels * x.images.height * x.images.width, batch = 256;
    int64_t correct = 0;
    for (int64_t first = 0; first < x.images.n; first += batch) {
        const int64_t n = std::min(batch, x.images.n - first);
        std::vector<float> features(size_t(n * d)), probs(size_t(n * k));
        std::vector<int64_t> xs = {n, x.images.channels, x.images.height, x.images.width}, fs = {n, d}, ps = {n, k};
        DLTensor tx = make_dltensor(x.images.data.data() + first * per, xs);
        DLTensor tf = make_dltensor(features.data(), fs), tp = make_dltensor(probs.data(), ps);
        m.check(m.embedder()->embed(m.raw(), &tx, &tf, &tp), "embed");
        for (int64_t i = 0; i < n; ++i) {
            const float* row = probs.data() + i * k;
            correct += (std::max_element(row, row + k) - row) == x.labels[size_t(first + i)];
        }
    }
    const double accuracy = double(correct) / double(x.images.n);
    run.report["accuracy"] = {{"images", x.images.n}, {"split", "test"}, {"accuracy", accuracy}};
    run.say("evaluate: test accuracy " + std::to_string(accuracy) + " on " + std::to_string(x.images.n) + " images");
}

// A quantizer's (VQ-VAE's) test images through its codes: how many of the K codes the
// test split uses, their perplexity, and the reconstruction error.
void codes_report(RunContext& run) {
    const loader::PluginInstance& m = *run.model;
    const sample::LabelledImages x = run.test_images(run.p["evaluate"]["likelihood"]["count"].get<int64_t>());
    const sample::CodeMaps codes = sample::encode_codes(m, x.images, 256);
    const sample::Images rec =
        sample::decode_codes(m, codes, {x.images.channels, x.images.height, x.images.width}, 256);
    const image::ValueRange r = run.range();
    double se = 0;
    for (size_t i = 0; i < rec.data.size(); ++i) {
        const double d = (double(rec.data[i]) - x.images.data[i]) / (r.hi - r.lo);  // on the [0, 1] scale
        se += d * d;
    }
    const int64_t k = m.codebook_size();
    const sample::CodeUsage usage = sample::code_usage(codes, k);
    run.report["codes"] = {{"images", x.images.n},
                           {"split", "test"},
                           {"codebook_size", k},
                           {"code_shape", codes.shape},
                           {"codes_used", usage.used},
                           {"perplexity", usage.perplexity},
                           {"reconstruction_mse", se / double(rec.data.size())}};
    run.say("evaluate: test images use " + std::to_string(usage.used) + " of " + std::to_string(k) +
            " codes (perplexity " + std::to_string(usage.perplexity) + "), reconstruction MSE " +
            std::to_string(se / double(rec.data.size())) + " on the [0, 1] scale");
}

void quality_report(RunContext& run) {
    const nlohmann::json& e = run.p["evaluate"];
    const int64_t count = e["count"].get<int64_t>();
    auto metrics = run.metrics();
    const Component* judge = needs_features(metrics) ? &run.judge() : nullptr;
    Scorer scorer(judge, std::move(metrics));
    scorer.set_real(run.real_images(count).images, run.image_range());
    const sample::SampleSpec spec = run.evaluate_spec(count);
    const nlohmann::json scores =
        scorer.score(run.draw(spec), run.image_range(), "generated images", sample::drawn_labels(*run.model, spec));
    run.report["metrics"] = scores;
    run.say("evaluate: " + describe_scores(scores) + " (" + std::to_string(count) + " samples against the test split)");
}

void check(const RunContext& run, Problems& problems) {
    const nlohmann::json& e = run.p["evaluate"];
    if (run.pipeline.written("evaluate.anomaly") && e["anomaly"].get<bool>() && run.p["data"]["classes"].empty())
        problems.add(run.at("evaluate.anomaly") + ": needs held-out classes: train on some classes with data.classes "
                                                  "(e.g. [0, 1, 2]) and the others are scored as anomalies");
    if (run.pipeline.written("evaluate.likelihood") && !run.model->likelihood() && !run.model->autoregressive())
        problems.add(run.at("evaluate.likelihood") + ": plugin '" + run.model->id() +
                     "' has no likelihood (genhost.likelihood/1 or genhost.autoregressive/1); remove "
                     "evaluate.likelihood");
    if (e.contains("scheduler") && !run.model->denoiser())
        problems.add(run.at("evaluate.scheduler") + ": is for diffusion models; plugin '" + run.model->id() +
                     "' draws samples directly; remove it");
    if (e["metrics"].empty()) return;
    check_sampling(run, "evaluate.metrics", problems);
    try {
        const auto metrics = run.metrics();
        metric_value_names(metrics);
        if (needs_features(metrics) || !e["features"].is_null())
            if (std::string why = run.judge_problem(); !why.empty()) problems.add(why);
    } catch (const Error& err) {
        problems.add(run.at("evaluate.metrics") + ": " + err.what());
    }
}

void run_stage(RunContext& run) {
    if (run.model->likelihood() || run.model->autoregressive()) likelihood_report(run);
    if (run.model->embedder() && run.data_info && run.data_info->num_classes > 0) accuracy_report(run);
    if (run.model->quantizer()) codes_report(run);
    if (!run.p["evaluate"]["metrics"].empty()) quality_report(run);
}

}  // namespace

extern const Stage evaluate_stage = {"evaluate", true, [](const nlohmann::json& p) { return has_section(p, "evaluate"); },
                                     check, run_stage};

}  // namespace genhost::run
