// The C++ helper: the C tables it generates, params checking, exceptions at the edge.
// Exercised through the C ABI exactly as the host uses it, without loading a library.
#include <catch2/catch.hpp>

#include <cstring>

#include <genhost/cpp/plugin.hpp>

namespace {

class Doubler : public genhost::Generator, public genhost::Metric {
public:
    static genhost::PluginInfo info() {
        return {GENHOST_PLUGIN_KIND_MODEL, "org.genhost.test.doubler", "Doubler", "2.1.0", "", "Writes 2*k.",
                {"a", "b"}, genhost::ParamSchema().number("k", 1.5, "the constant", 0.0, 10.0)};
    }
    explicit Doubler(const genhost::Context& c) : k_(static_cast<float>(c.params.number("k"))), data_(c.data) {
        if (k_ == 7.0f) throw std::runtime_error("seven is unlucky");
    }
    std::array<int64_t, 3> sample_shape() const override { return {1, 1, 2}; }
    void generate(const genhost::SampleRequest& r, const genhost::MutableTensorView& out) override {
        out.expect_shape({-1, 1, 1, 2}, "samples");
        if (r.labels) throw std::invalid_argument("no labels please");
        for (int64_t i = 0; i < out.numel(); ++i) out.data()[i] = 2 * k_;
    }
    std::vector<std::string> value_names() const override { return {"k", "height"}; }
    void reset() override {}
    void update(uint32_t, const genhost::TensorView&) override {}
    std::vector<double> compute() override { return {k_, static_cast<double>(data_.height)}; }

private:
    float k_;
    genhost::DataInfo data_;
};

}  // namespace

GENHOST_PLUGINS(Doubler);

namespace {

void log_nothing(const genhost_host*, int32_t, const char*) {}
const void* no_service(const genhost_host*, const char*) { return nullptr; }
const genhost_host kHost = {sizeof(genhost_host), GENHOST_ABI_VERSION_INIT, "test", "0", nullptr, 1, 1,
                            log_nothing, no_service};

const genhost_plugin_factory& factory() {
    return *static_cast<const genhost_plugin_factory*>(genhost_entry.get_factory(GENHOST_PLUGIN_FACTORY_ID));
}

genhost_plugin* create(const char* params, genhost_status* status, std::string* error,
                       const genhost_data_info* data = nullptr) {
    char buffer[512] = "";
    genhost_plugin* p = nullptr;
    *status = factory().create(&factory(), &kHost, "org.genhost.test.doubler", params, data, &p, buffer, sizeof buffer);
    *error = buffer;
    return p;
}

}  // namespace

TEST_CASE("the entry and descriptor carry the ABI version and the plugin's info", "[cpp]") {
    CHECK(genhost_entry.abi_version.major == GENHOST_ABI_VERSION_MAJOR);
    CHECK(genhost_entry.get_factory("something.else/1") == nullptr);
    REQUIRE(factory().plugin_count(&factory()) == 1);
    const genhost_plugin_descriptor* d = factory().get_descriptor(&factory(), 0);
    REQUIRE(d != nullptr);
    CHECK(factory().get_descriptor(&factory(), 1) == nullptr);
    CHECK(std::string(d->id) == "org.genhost.test.doubler");
    CHECK(std::string(d->version) == "2.1.0");
    CHECK(d->vendor == nullptr);
    CHECK(std::string(d->features[1]) == "b");
    CHECK(d->features[2] == nullptr);
    auto schema = nlohmann::json::parse(d->params_schema);
    CHECK(schema["properties"]["k"]["default"] == 1.5);
}

TEST_CASE("an instance answers only the extensions its class derives from", "[cpp]") {
    genhost_status status;
    std::string error;
    genhost_plugin* p = create("{\"k\": 2}", &status, &error);
    REQUIRE(status == GENHOST_OK);
    CHECK(p->get_extension(p, GENHOST_EXT_GENERATOR) != nullptr);
    CHECK(p->get_extension(p, GENHOST_EXT_METRIC) != nullptr);
    CHECK(p->get_extension(p, GENHOST_EXT_TRAINABLE) == nullptr);
    CHECK(p->get_extension(p, "genhost.generator/2") == nullptr);

    auto gen = static_cast<const genhost_generator*>(p->get_extension(p, GENHOST_EXT_GENERATOR));
    std::vector<float> out(6);
    std::vector<int64_t> shape = {3, 1, 1, 2};
    DLTensor t = genhost::make_dltensor(out.data(), shape);
    // A host of ABI 1.0 sends a request that stops before 1.1's seeds: still served.
    genhost_sample_request request = {offsetof(genhost_sample_request, seeds), 0, nullptr, nullptr};
    REQUIRE(gen->generate(p, &request, &t) == GENHOST_OK);
    CHECK(out == std::vector<float>(6, 4.0f));
    CHECK(std::string(p->last_error(p)).empty());
    // A 1.1 request's seeds must be one per sample.
    std::vector<uint64_t> seeds = {1, 2};
    std::vector<int64_t> two = {2};
    DLTensor s = genhost::make_dltensor(seeds.data(), two);
    request = {sizeof request, 0, nullptr, &s};
    CHECK(gen->generate(p, &request, &t) == GENHOST_ERROR_INVALID_ARGUMENT);
    CHECK_THAT(p->last_error(p), Catch::Contains("seeds (one per sample): expected shape [3]"));
    p->destroy(p);
}

TEST_CASE("exceptions become statuses and messages, and the instance stays usable", "[cpp]") {
    genhost_status status;
    std::string error;
    genhost_plugin* p = create("{}", &status, &error);
    REQUIRE(status == GENHOST_OK);
    auto gen = static_cast<const genhost_generator*>(p->get_extension(p, GENHOST_EXT_GENERATOR));

    std::vector<float> out(4);
    std::vector<int64_t> wrong = {2, 1, 2, 1};
    DLTensor t = genhost::make_dltensor(out.data(), wrong);
    genhost_sample_request request = {sizeof request, 0, nullptr, nullptr};
    CHECK(gen->generate(p, &request, &t) == GENHOST_ERROR_INVALID_ARGUMENT);
    CHECK_THAT(p->last_error(p), Catch::Contains("expected shape [-1,1,1,2] (-1 = any), got [2,1,2,1]"));

    std::vector<int64_t> right = {2, 1, 1, 2};
    t = genhost::make_dltensor(out.data(), right);
    CHECK(gen->generate(p, &request, &t) == GENHOST_OK);

    DLTensor f64 = t;
    f64.dtype.bits = 64;
    CHECK(gen->generate(p, &request, &f64) == GENHOST_ERROR_INVALID_ARGUMENT);
    CHECK_THAT(p->last_error(p), Catch::Contains("float32"));
    p->destroy(p);
}

TEST_CASE("create checks params against the schema and reports constructor exceptions", "[cpp]") {
    genhost_status status;
    std::string error;
    CHECK(create("{\"k\": 11}", &status, &error) == nullptr);
    CHECK(status == GENHOST_ERROR_INVALID_ARGUMENT);
    CHECK_THAT(error, Catch::Contains("k: 11 is out of range"));

    CHECK(create("{\"kk\": 1}", &status, &error) == nullptr);
    CHECK_THAT(error, Catch::Contains("did you mean 'k'?"));

    CHECK(create("{not json", &status, &error) == nullptr);
    CHECK(status == GENHOST_ERROR_INVALID_ARGUMENT);

    CHECK(create("{\"k\": 7}", &status, &error) == nullptr);
    CHECK(status == GENHOST_ERROR_INTERNAL);
    CHECK_THAT(error, Catch::Contains("seven is unlucky"));

    char small[8];
    genhost_plugin* p = nullptr;
    status = factory().create(&factory(), &kHost, "no.such.plugin", "{}", nullptr, &p, small, sizeof small);
    CHECK(status == GENHOST_ERROR_INVALID_ARGUMENT);
    CHECK(std::strlen(small) == 7);  // truncated, NUL-terminated
}

TEST_CASE("the data info reaches the plugin", "[cpp]") {
    genhost_data_info data = {sizeof data, 1, 28, 27, 10, 0.0f, 1.0f, 1};
    genhost_status status;
    std::string error;
    genhost_plugin* p = create("{}", &status, &error, &data);
    REQUIRE(p != nullptr);
    auto metric = static_cast<const genhost_metric*>(p->get_extension(p, GENHOST_EXT_METRIC));
    REQUIRE(metric->value_count(p) == 2);
    CHECK(std::string(metric->value_name(p, 1)) == "height");
    CHECK(metric->value_name(p, 2) == nullptr);
    double values[2];
    REQUIRE(metric->compute(p, values) == GENHOST_OK);
    CHECK(values[0] == 1.5);
    CHECK(values[1] == 28);
    p->destroy(p);
}

TEST_CASE("a host struct from a newer minor version (larger) is accepted, one older than 1.0 refused", "[cpp][abi]") {
    struct HostV1_1 {
        genhost_host v1_0;
        uint64_t added_in_1_1;  // a field a later minor version appends
    } newer{kHost, 42};
    newer.v1_0.struct_size = sizeof(HostV1_1);
    char error[256] = "";
    genhost_plugin* p = nullptr;
    REQUIRE(factory().create(&factory(), &newer.v1_0, "org.genhost.test.doubler", "{}", nullptr, &p, error,
                             sizeof error) == GENHOST_OK);
    p->destroy(p);

    genhost_host older = kHost;
    older.struct_size = offsetof(genhost_host, get_service);  // lacks a 1.0 field
    CHECK(factory().create(&factory(), &older, "org.genhost.test.doubler", "{}", nullptr, &p, error, sizeof error) ==
          GENHOST_ERROR_INVALID_ARGUMENT);
    CHECK_THAT(error, Catch::Contains("host struct"));
}
