// Small, exactly predictable plugins written with the C++ helper, for the host's tests.
// Each is the simplest thing that exercises one part of the ABI.
#include <chrono>
#include <algorithm>
#include <cmath>
#include <thread>
#include <random>
#include <set>
#include <stdexcept>

#include <genhost/cpp/plugin.hpp>

namespace {

// Learns the mean image of the data: loss = mean over batch and pixels of (m - x)^2.
// Its latent space is the pixels themselves (encode and decode are the identity), and its
// likelihood is an isotropic Gaussian around the mean image with standard deviation 0.1:
// simple enough that every latent-space and likelihood stage can be checked exactly.
class MeanImage : public genhost::Trainable,
                  public genhost::Generator,
                  public genhost::Latent,
                  public genhost::Likelihood {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_MODEL, "org.genhost.test.mean-image", "Mean image (test)", "1.0.0", "genhost",
                "Learns the mean image of its data by gradient descent; samples are that mean plus noise.",
                {"test", "trainable", "generator"},
                genhost::ParamSchema()
                    .number("init", 0.5, "initial value of every pixel of the mean", 0.0, 1.0)
                    .number("noise", 0.0, "standard deviation of the noise added to samples", 0.0)
                    .integers("shape", {1, 28, 28}, "[C, H, W] when the host gives no data shape", 1)
                    .integer("nan_at_step", -1, "make the gradient NaN at this step (tests the NaN stop); -1 = never")
                    .integer("delay_ms", 0, "sleep this long in every train_phase (tests killing a run)", 0)};
    }

    explicit MeanImage(const genhost::Context& c)
        : noise_(static_cast<float>(c.params.number("noise"))), nan_at_step_(c.params.integer("nan_at_step")),
          delay_ms_(c.params.integer("delay_ms")) {
        auto s = c.params.integers("shape");
        if (s.size() != 3) throw std::invalid_argument("shape must have 3 entries [C, H, W]");
        shape_ = c.data.known ? std::vector<int64_t>{c.data.channels, c.data.height, c.data.width} : s;
        mean_.assign(static_cast<size_t>(shape_[0] * shape_[1] * shape_[2]), static_cast<float>(c.params.number("init")));
        grad_.assign(mean_.size(), 0.0f);
        c.host.info("learning a mean image of shape " + genhost::shape_string(shape_));
    }

    std::vector<genhost::Parameter> parameters() override {
        return {{"mean", "model", mean_.data(), grad_.data(), shape_, false}};
    }
    std::vector<genhost::Phase> phases() override { return {{"fit", "model", {"mse"}}}; }

    void train_phase(uint32_t, const genhost::Batch& batch, float* losses) override {
        batch.images.expect_shape({-1, shape_[0], shape_[1], shape_[2]}, "images");
        const int64_t n = batch.images.dim(0), d = static_cast<int64_t>(mean_.size());
        const float* x = batch.images.data();
        double loss = 0;
        for (int64_t i = 0; i < n; ++i)
            for (int64_t j = 0; j < d; ++j) {
                float diff = mean_[j] - x[i * d + j];
                loss += diff * diff;
                grad_[j] += 2.0f * diff / static_cast<float>(n * d);
            }
        losses[0] = static_cast<float>(loss / static_cast<double>(n * d));
        if (static_cast<int64_t>(batch.step) == nan_at_step_) grad_[d / 2] = std::nanf("");
        if (delay_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_));
    }

    std::array<int64_t, 3> sample_shape() const override { return {shape_[0], shape_[1], shape_[2]}; }
    void generate(const genhost::SampleRequest& r, const genhost::MutableTensorView& out) override {
        out.expect_shape({-1, shape_[0], shape_[1], shape_[2]}, "samples");
        std::mt19937_64 rng(r.seed);
        std::normal_distribution<float> normal(0.0f, 1.0f);
        const int64_t d = static_cast<int64_t>(mean_.size());
        for (int64_t i = 0; i < out.numel(); ++i) out.data()[i] = mean_[i % d] + noise_ * normal(rng);
    }

    int64_t latent_dim() const override { return static_cast<int64_t>(mean_.size()); }
    void encode(const genhost::TensorView& x, const std::optional<genhost::LabelView>&,
                const genhost::MutableTensorView& mean, const genhost::MutableTensorView& logvar) override {
        std::copy(x.data(), x.data() + x.numel(), mean.data());
        std::fill(logvar.data(), logvar.data() + logvar.numel(), 0.0f);
    }
    void decode(const genhost::TensorView& z, const std::optional<genhost::LabelView>&,
                const genhost::MutableTensorView& images) override {
        std::copy(z.data(), z.data() + z.numel(), images.data());
    }
    void log_likelihood(const genhost::LikelihoodRequest& r, const genhost::MutableTensorView& out) override {
        const int64_t n = r.images.dim(0), d = static_cast<int64_t>(mean_.size());
        const double log_norm = -0.5 * static_cast<double>(d) * std::log(2 * M_PI * 0.01);
        for (int64_t i = 0; i < n; ++i) {
            double sq = 0;
            for (int64_t j = 0; j < d; ++j) sq += std::pow(r.images.data()[i * d + j] - mean_[j], 2);
            out.data()[i] = static_cast<float>(log_norm - 0.5 * sq / 0.01);
        }
    }

private:
    float noise_;
    int64_t nan_at_step_, delay_ms_;
    std::vector<int64_t> shape_;
    std::vector<float> mean_, grad_;
};

// Two parameter groups and two phases, like a GAN: for the host's phase schedules.
// discriminator phase: d_loss = (d - 1)^2; generator phase: g_loss = (g - d)^2.
class TwoPlayer : public genhost::Trainable {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_MODEL, "org.genhost.test.two-player", "Two-player game (test)", "1.0.0", "genhost",
                "Two scalar parameters in two groups with two phases, for testing phase schedules.",
                {"test", "trainable"}, genhost::ParamSchema()};
    }
    explicit TwoPlayer(const genhost::Context&) {}
    std::vector<genhost::Parameter> parameters() override {
        return {{"d", "discriminator", &d_, &dgrad_, {1}, false},
                {"g", "generator", &g_, &ggrad_, {1}, false},
                {"updates", "discriminator", &updates_, nullptr, {1}, true}};
    }
    std::vector<genhost::Phase> phases() override {
        return {{"discriminator", "discriminator", {"d_loss"}}, {"generator", "generator", {"g_loss", "gap"}}};
    }
    void train_phase(uint32_t phase, const genhost::Batch&, float* losses) override {
        if (phase == 0) {
            losses[0] = (d_ - 1) * (d_ - 1);
            dgrad_ += 2 * (d_ - 1);
        } else {
            losses[0] = (g_ - d_) * (g_ - d_);
            losses[1] = std::fabs(g_ - d_);
            ggrad_ += 2 * (g_ - d_);
        }
    }
    void after_update(uint32_t) override { updates_ += 1; }

private:
    float d_ = 0, g_ = 0, dgrad_ = 0, ggrad_ = 0, updates_ = 0;
};

// A GAN's schedule without a GAN: a "discriminator" phase that draws data and a
// "generator" phase flagged uses_data = false (ABI 1.2, GENHOST_PHASE_NO_DATA). Buffers
// count what each phase was given, so a test reads from the checkpoint what the host did:
// d fits the batch mean pixel, g follows d plus a seed-derived jitter (resume must repeat it).
class NoDataPhase : public genhost::Trainable, public genhost::Generator {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_MODEL, "org.genhost.test.no-data-phase", "Phase without data (test)", "1.0.0",
                "genhost", "A data phase and a GENHOST_PHASE_NO_DATA phase, counting what each is given.",
                {"test", "trainable"},
                genhost::ParamSchema().integer("nan_at_step", -1,
                                               "make the generator's gradient NaN at this batch.step; -1 = never")};
    }
    explicit NoDataPhase(const genhost::Context& c) : nan_at_step_(c.params.integer("nan_at_step")) {}
    std::vector<genhost::Parameter> parameters() override {
        return {{"d", "discriminator", &d_, &dgrad_, {1}, false},
                {"g", "generator", &g_, &ggrad_, {1}, false},
                {"data_images", "discriminator", &data_images_, nullptr, {1}, true},
                {"generator_calls", "generator", &generator_calls_, nullptr, {1}, true},
                {"generator_size", "generator", &generator_size_, nullptr, {1}, true},
                {"generator_images", "generator", &generator_images_, nullptr, {1}, true}};
    }
    std::vector<genhost::Phase> phases() override {
        return {{"discriminator", "discriminator", {"d_loss"}, true}, {"generator", "generator", {"g_loss"}, false}};
    }
    void train_phase(uint32_t phase, const genhost::Batch& batch, float* losses) override {
        if (phase == 0) {
            const int64_t n = batch.images.dim(0);
            if (batch.size != n) throw std::logic_error("batch.size differs from the images' N");
            double mean = 0;
            for (int64_t i = 0; i < batch.images.numel(); ++i) mean += batch.images.data()[i];
            mean /= static_cast<double>(std::max<int64_t>(1, batch.images.numel()));
            losses[0] = static_cast<float>((d_ - mean) * (d_ - mean));
            dgrad_ += 2 * (d_ - static_cast<float>(mean));
            data_images_ += static_cast<float>(n);
            return;
        }
        generator_calls_ += 1;
        generator_size_ = static_cast<float>(batch.size);
        generator_images_ += static_cast<float>(batch.images.numel()) + (batch.labels ? 1000.0f : 0.0f);
        const float jitter = static_cast<float>(batch.seed % 1000) * 1e-4f;
        losses[0] = (g_ - d_ - jitter) * (g_ - d_ - jitter);
        ggrad_ += 2 * (g_ - d_ - jitter);
        if (static_cast<int64_t>(batch.step) == nan_at_step_) ggrad_ = std::nanf("");
    }
    std::array<int64_t, 3> sample_shape() const override { return {1, 2, 2}; }
    void generate(const genhost::SampleRequest&, const genhost::MutableTensorView& out) override {
        for (int64_t i = 0; i < out.numel(); ++i) out.data()[i] = g_;
    }

private:
    int64_t nan_at_step_;
    float d_ = 0, g_ = 0, dgrad_ = 0, ggrad_ = 0;
    float data_images_ = 0, generator_calls_ = 0, generator_size_ = 0, generator_images_ = 0;
};

// Throws where told to: the helper must turn every exception into a status and message.
class Throwing : public genhost::Trainable, public genhost::Generator {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_MODEL, "org.genhost.test.throwing", "Throwing (test)", "1.0.0", "genhost",
                "Throws a C++ exception where its params say, to test error handling at the ABI edge.",
                {"test"},
                genhost::ParamSchema().choice("throw_in", "nothing", {"nothing", "create", "generate", "train"},
                                              "where to throw")};
    }
    explicit Throwing(const genhost::Context& c) : where_(c.params.string("throw_in")) {
        if (where_ == "create") throw std::runtime_error("thrown in the constructor, as asked");
    }
    std::vector<genhost::Parameter> parameters() override { return {{"w", "model", &w_, &grad_, {1}, false}}; }
    std::vector<genhost::Phase> phases() override { return {{"train", "model", {"loss"}}}; }
    void train_phase(uint32_t, const genhost::Batch&, float* losses) override {
        if (where_ == "train") throw std::invalid_argument("thrown in train_phase, as asked");
        losses[0] = 0;
    }
    std::array<int64_t, 3> sample_shape() const override { return {1, 2, 2}; }
    void generate(const genhost::SampleRequest&, const genhost::MutableTensorView& out) override {
        if (where_ == "generate") throw std::logic_error("thrown in generate, as asked");
        for (int64_t i = 0; i < out.numel(); ++i) out.data()[i] = 0;
    }

private:
    std::string where_;
    float w_ = 0, grad_ = 0;
};

// A toy scheduler with a linear alphas_cumprod and x_{t-1} = x_t - model_output / steps.
class LinearScheduler : public genhost::Scheduler {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_SCHEDULER, "org.genhost.test.linear-scheduler", "Linear scheduler (test)",
                "1.0.0", "genhost", "A toy scheduler for testing the scheduler contract.", {"test"},
                genhost::ParamSchema().integer("num_train_timesteps", 10, "length of the training schedule", 2, 100000)};
    }
    explicit LinearScheduler(const genhost::Context& c) : train_steps_(c.params.integer("num_train_timesteps")) {}
    std::vector<float> alphas_cumprod() const override {
        std::vector<float> a(static_cast<size_t>(train_steps_));
        for (size_t t = 0; t < a.size(); ++t) a[t] = 1.0f - static_cast<float>(t + 1) / static_cast<float>(a.size() + 1);
        return a;
    }
    void set_timesteps(uint32_t n) override {
        if (n == 0 || n > train_steps_) throw std::invalid_argument("num_inference_steps must be in [1, num_train_timesteps]");
        timesteps_.clear();
        for (uint32_t i = 0; i < n; ++i) timesteps_.push_back(static_cast<float>((n - 1 - i) * train_steps_ / n));
    }
    std::vector<float> timesteps() const override { return timesteps_; }
    void step(const genhost::SchedulerStep& s, const genhost::MutableTensorView& prev) override {
        if (timesteps_.empty()) throw genhost::PluginError(GENHOST_ERROR_STATE, "step before set_timesteps");
        const float scale = 1.0f / static_cast<float>(timesteps_.size());
        for (int64_t i = 0; i < prev.numel(); ++i) prev.data()[i] = s.sample.data()[i] - scale * s.model_output.data()[i];
    }

private:
    int64_t train_steps_;
    std::vector<float> timesteps_;
};

// A denoiser that knows the answer: every sample is the constant image x0 = value
// (+ 0.1 * label for conditional use), so from x_t it returns the exact noise (or x0, or
// v). Any correct scheduler driven by a correct host loop must end at x0.
class OracleDenoiser : public genhost::Denoiser {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_MODEL, "org.genhost.test.oracle-denoiser", "Oracle denoiser (test)", "1.0.0",
                "genhost", "Predicts the exact noise for a known constant image, to test sampling loops.", {"test"},
                genhost::ParamSchema()
                    .number("value", 0.5, "the image every sample should become")
                    .integer("size", 8, "image height and width", 1, 64)
                    .integer("num_classes", 0, "classes; label k shifts the image by 0.1 k", 0)
                    .choice("prediction_type", "epsilon", {"epsilon", "v_prediction", "sample"}, "what predict returns")};
    }
    explicit OracleDenoiser(const genhost::Context& c)
        : value_(static_cast<float>(c.params.number("value"))), size_(c.params.integer("size")),
          classes_(c.params.integer("num_classes")), type_(c.params.string("prediction_type")) {}
    std::array<int64_t, 3> sample_shape() const override { return {1, size_, size_}; }
    int64_t num_classes() const override { return classes_; }
    const char* prediction_type() const override { return type_.c_str(); }
    void set_noise_schedule(const std::vector<float>& a) override { alphas_ = a; }
    void predict(const genhost::DenoiseRequest& r, const genhost::MutableTensorView& out) override {
        if (alphas_.empty()) throw genhost::PluginError(GENHOST_ERROR_STATE, "predict before set_noise_schedule");
        const int64_t n = r.sample.dim(0), d = size_ * size_;
        for (int64_t i = 0; i < n; ++i) {
            const long t = std::lround(r.timesteps.data()[i]);
            const double a = alphas_[static_cast<size_t>(std::clamp<long>(t, 0, static_cast<long>(alphas_.size()) - 1))];
            const int64_t label = r.labels ? r.labels->data()[i] : -1;
            const double x0 = value_ + (label >= 0 ? 0.1 * static_cast<double>(label) : 0.0);
            for (int64_t j = 0; j < d; ++j) {
                const double x = r.sample.data()[i * d + j];
                const double eps = (x - std::sqrt(a) * x0) / std::sqrt(1 - a);
                out.data()[i * d + j] = static_cast<float>(type_ == "epsilon" ? eps
                                                           : type_ == "sample" ? x0
                                                                               : std::sqrt(a) * eps - std::sqrt(1 - a) * x0);
            }
        }
    }

private:
    float value_;
    int64_t size_, classes_;
    std::string type_;
    std::vector<float> alphas_;
};


// An autoregressive model with a known answer, to test the host's pixel loop: position p's
// logits are `peak` at level (x[p-1] + 1) % L (level 1 at p = 0) and 0 elsewhere, so a
// sampler at temperature 0 writes 1, 2, ..., L-1, 0, 1, ... in raster order; peak 0 makes
// every level equally likely (pure per-image randomness). Class k adds k to the counter.
class CounterAutoregressive : public genhost::Autoregressive {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_MODEL, "org.genhost.test.counter-ar", "Counter autoregressive (test)", "1.0.0",
                "genhost", "Logits that favour the previous position's level + 1, to test the pixel loop.", {"test"},
                genhost::ParamSchema()
                    .integer("levels", 4, "L", 2, 256)
                    .integer("size", 4, "image height and width", 1, 64)
                    .integer("channels", 1, "image channels", 1, 4)
                    .integer("num_classes", 0, "classes; label k adds k to the counter", 0)
                    .number("peak", 5.0, "the favoured level's logit; 0 = uniform", 0.0)
                    .boolean("logits_at", true, "offer logits_at (else the host reads positions out of logits)")};
    }
    explicit CounterAutoregressive(const genhost::Context& c)
        : levels_(c.params.integer("levels")), size_(c.params.integer("size")), channels_(c.params.integer("channels")),
          classes_(c.params.integer("num_classes")), peak_(static_cast<float>(c.params.number("peak"))),
          at_(c.params.boolean("logits_at")) {}
    int64_t num_levels() const override { return levels_; }
    std::array<int64_t, 3> sample_shape() const override { return {channels_, size_, size_}; }
    int64_t num_classes() const override { return classes_; }
    void logits(const genhost::LabelView& x, const std::optional<genhost::LabelView>& labels,
                const genhost::MutableTensorView& out) override {
        const int64_t n = x.dim(0), per = channels_ * size_ * size_;
        for (int64_t p = 0; p < per; ++p) {
            std::vector<float> row(static_cast<size_t>(n * levels_));
            position(x, labels, p, row.data());
            const int64_t c = p % channels_, col = (p / channels_) % size_, r = p / (channels_ * size_);
            const int64_t element = (c * size_ + r) * size_ + col;
            for (int64_t i = 0; i < n; ++i)
                for (int64_t l = 0; l < levels_; ++l)
                    out.data()[(i * levels_ + l) * per + element] = row[static_cast<size_t>(i * levels_ + l)];
        }
    }
    bool has_logits_at() const override { return at_; }
    void logits_at(const genhost::LabelView& x, const std::optional<genhost::LabelView>& labels, int64_t p,
                   const genhost::MutableTensorView& out) override {
        position(x, labels, p, out.data());
    }

private:
    void position(const genhost::LabelView& x, const std::optional<genhost::LabelView>& labels, int64_t p, float* out) const {
        const int64_t n = x.dim(0), per = channels_ * size_ * size_;
        for (int64_t i = 0; i < n; ++i) {
            int64_t prev = 0;
            if (p > 0) {
                const int64_t q = p - 1, c = q % channels_, col = (q / channels_) % size_, r = q / (channels_ * size_);
                prev = x.data()[i * per + (c * size_ + r) * size_ + col];
            }
            const int64_t shift = labels && classes_ > 0 ? labels->data()[i] : 0;
            const int64_t favoured = (prev + 1 + shift) % levels_;
            for (int64_t l = 0; l < levels_; ++l) out[i * levels_ + l] = l == favoured ? peak_ : 0.0f;
        }
    }
    int64_t levels_, size_, channels_, classes_;
    float peak_;
    bool at_;
};

}  // namespace

// A feature network whose features are known by hand: the mean of each image quadrant and
// the image's standard deviation (D = 5); K = 2 classes with p(1) = sigmoid(scale * (mean -
// 0.5)). `scale` is its one parameter (trained towards 4), so it has a checkpoint to load.
class PixelStats : public genhost::Trainable, public genhost::Embedder {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_MODEL, "org.genhost.test.pixel-stats", "Pixel statistics (test)", "1.0.0", "genhost",
                "Features: quadrant means and the standard deviation of each image.", {"test", "embedder"},
                genhost::ParamSchema()};
    }
    explicit PixelStats(const genhost::Context& c) {
        if (!c.data.known) throw std::invalid_argument("pixel-stats needs the data shape");
        shape_ = {c.data.channels, c.data.height, c.data.width};
    }
    std::vector<genhost::Parameter> parameters() override { return {{"scale", "model", &scale_, &grad_, {1}, false}}; }
    std::vector<genhost::Phase> phases() override { return {{"fit", "model", {"loss"}}}; }
    void train_phase(uint32_t, const genhost::Batch&, float* losses) override {
        grad_ += 2.0f * (scale_ - 4.0f);
        losses[0] = (scale_ - 4.0f) * (scale_ - 4.0f);
    }
    int64_t feature_dim() const override { return 5; }
    int64_t embedding_classes() const override { return 2; }
    void embed(const genhost::TensorView& x, const genhost::MutableTensorView& f,
               const std::optional<genhost::MutableTensorView>& probs) override {
        x.expect_shape({-1, shape_[0], shape_[1], shape_[2]}, "images");
        const int64_t n = x.dim(0), c = shape_[0], h = shape_[1], w = shape_[2];
        for (int64_t i = 0; i < n; ++i) {
            const float* im = x.data() + i * c * h * w;
            double q[4] = {0, 0, 0, 0}, sum = 0, sq = 0;
            for (int64_t ch = 0; ch < c; ++ch)
                for (int64_t y = 0; y < h; ++y)
                    for (int64_t xx = 0; xx < w; ++xx) {
                        const double v = im[(ch * h + y) * w + xx];
                        q[(y >= h / 2) * 2 + (xx >= w / 2)] += v, sum += v, sq += v * v;
                    }
            const double count = double(c * h * w), mean = sum / count;
            for (int k = 0; k < 4; ++k) f.data()[i * 5 + k] = float(4 * q[k] / count);
            f.data()[i * 5 + 4] = float(std::sqrt(std::max(0.0, sq / count - mean * mean)));
            if (probs) {
                const float p1 = 1.0f / (1.0f + std::exp(-scale_ * float(mean - 0.5)));
                probs->data()[i * 2] = 1 - p1, probs->data()[i * 2 + 1] = p1;
            }
        }
    }

private:
    std::vector<int64_t> shape_;
    float scale_ = 1.0f, grad_ = 0.0f;
};

// Remembers the first training image of each class and draws it for that class's label,
// or for label k the image of class (k + shift) mod K: a conditional generator whose
// images the judge should recognise as their label (shift 0) or as another (shift 1).
class ClassPrototype : public genhost::Trainable, public genhost::Generator {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_MODEL, "org.genhost.test.class-prototype", "Class prototype (test)", "1.0.0",
                "genhost", "Draws a remembered training image of the asked class (or of the class `shift` after it).",
                {"test", "trainable", "generator"},
                genhost::ParamSchema()
                    .integer("num_classes", 2, "classes", 1)
                    .integer("shift", 0, "label k draws class (k + shift) mod num_classes", 0)};
    }

    explicit ClassPrototype(const genhost::Context& c)
        : classes_(c.params.integer("num_classes")), shift_(c.params.integer("shift")) {
        if (!c.data.known) throw std::invalid_argument("class-prototype needs the data shape");
        shape_ = {c.data.channels, c.data.height, c.data.width};
        per_ = shape_[0] * shape_[1] * shape_[2];
        prototypes_.assign(static_cast<size_t>(classes_ * per_), 0.0f);
        grad_.assign(prototypes_.size(), 0.0f);
    }

    std::vector<genhost::Parameter> parameters() override {
        return {{"prototypes", "model", prototypes_.data(), grad_.data(), {classes_, shape_[0], shape_[1], shape_[2]}, false}};
    }
    std::vector<genhost::Phase> phases() override { return {{"remember", "model", {"seen"}}}; }

    void train_phase(uint32_t, const genhost::Batch& batch, float* losses) override {
        if (!batch.labels) throw std::invalid_argument("class-prototype needs labelled data");
        const int64_t n = batch.images.dim(0);
        for (int64_t i = 0; i < n; ++i) {
            const int64_t k = batch.labels->data()[i];
            if (k < 0 || k >= classes_ || seen_.count(k)) continue;
            std::copy_n(batch.images.data() + i * per_, per_, prototypes_.data() + k * per_);
            seen_.insert(k);
        }
        losses[0] = static_cast<float>(seen_.size());
    }

    int64_t num_classes() const override { return classes_; }
    std::array<int64_t, 3> sample_shape() const override { return {shape_[0], shape_[1], shape_[2]}; }
    void generate(const genhost::SampleRequest& r, const genhost::MutableTensorView& out) override {
        for (int64_t i = 0; i < out.dim(0); ++i) {
            const int64_t k = (r.labels->data()[i] + shift_) % classes_;
            std::copy_n(prototypes_.data() + k * per_, per_, out.data() + i * per_);
        }
    }

private:
    int64_t classes_, shift_, per_ = 0;
    std::vector<int64_t> shape_;
    std::vector<float> prototypes_, grad_;
    std::set<int64_t> seen_;
};

GENHOST_PLUGINS(MeanImage, TwoPlayer, NoDataPhase, Throwing, LinearScheduler, OracleDenoiser, PixelStats, CounterAutoregressive,
                ClassPrototype);
