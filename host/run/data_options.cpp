#include "run/data_options.hpp"

#include <algorithm>

#include <genhost/cpp/schema.hpp>

#include "data/load.hpp"
#include "data/rng.hpp"
#include "pipeline/pipeline_schema.hpp"
#include "util/error.hpp"

namespace genhost::run {

bool has_domains(const nlohmann::json& section) {
    return section.contains("domains") && section["domains"].is_object();
}

namespace {

// Domain b is shuffled apart from domain a: its own stream of the run seed.
constexpr uint64_t kDomainB = 0x646f6d2d62000000ull;  // "dom-b"

// The section with the domain's keys over data's own.
nlohmann::json domain_section(const nlohmann::json& s, const std::string& domain) {
    nlohmann::json merged = s;
    merged.erase("domains");
    for (auto it = s["domains"][domain].begin(); it != s["domains"][domain].end(); ++it) merged[it.key()] = it.value();
    return merged;
}

}  // namespace

data::DataOptions data_options(const nlohmann::json& section, uint64_t seed, const std::string& domain) {
    if (has_domains(section)) {
        const std::string d = domain.empty() ? "a" : domain;
        if (d != "a" && d != "b") throw Error("data.domains: no domain '" + d + "' (the domains are a and b)");
        data::DataOptions o = data_options(domain_section(section, d), seed);
        if (d == "b") o.seed = data::derive_seed(seed, kDomainB);
        return o;
    }
    const nlohmann::json& s = section;
    data::DataOptions o = data::data_default_options();
    o.kind = s.at("dataset").get<std::string>();
    if (!s.at("path").is_null()) o.path = s["path"].get<std::string>();
    o.split = s.at("split").get<std::string>();
    if (!s.at("images").is_null()) o.images = s["images"].get<std::string>();
    if (!s.at("labels").is_null()) o.labels = s["labels"].get<std::string>();
    o.batch_size = s.at("batch_size").get<int64_t>();
    o.range_min = s.at("range")[0].get<float>();
    o.range_max = s.at("range")[1].get<float>();
    o.limit = s.at("limit").get<int64_t>();
    o.classes = s.at("classes").get<std::vector<int64_t>>();
    o.shuffle = s.at("shuffle").get<bool>();
    o.binarize = s.at("binarize").get<bool>();
    o.seed = seed;
    o.shapes.count = s.at("size").get<int64_t>();
    o.shapes.size = s.at("image_size").get<int64_t>();
    o.shapes.seed = seed;
    return o;
}

sample::LabelledImages test_images(const nlohmann::json& section, uint64_t seed, int64_t count, image::ValueRange r) {
    data::DataOptions o = data_options(section, seed);
    o.split = "test";
    o.classes.clear();
    o.limit = 0;
    if (o.kind == "shapes") o.shapes.seed = seed + 1;  // unseen shapes
    data::Dataset ds = data::load_dataset(o);
    const int64_t n = count > 0 ? std::min(count, ds.n) : ds.n;
    sample::LabelledImages x;
    x.images = {n, ds.channels, ds.height, ds.width,
                std::vector<float>(ds.images.begin(), ds.images.begin() + n * ds.image_size())};
    for (float& v : x.images.data) v = r.lo + (r.hi - r.lo) * v;
    if (ds.labelled()) x.labels.assign(ds.labels.begin(), ds.labels.begin() + n);
    return x;
}

sample::LabelledImages domain_test_images(const nlohmann::json& section, uint64_t seed, const std::string& domain,
                                          int64_t count, image::ValueRange r) {
    data::DataOptions o = data_options(section, seed, domain);
    o.split = "test";
    if (o.kind == "shapes") o.shapes.seed = seed + 1;  // unseen shapes
    data::Dataset ds = data::load_dataset(o);
    std::vector<int64_t> keep;
    for (int64_t i = 0; i < ds.n && (count <= 0 || static_cast<int64_t>(keep.size()) < count); ++i)
        if (o.classes.empty() || std::find(o.classes.begin(), o.classes.end(), ds.labels[static_cast<size_t>(i)]) !=
                                     o.classes.end())
            keep.push_back(i);
    sample::LabelledImages x;
    x.images = {static_cast<int64_t>(keep.size()), ds.channels, ds.height, ds.width, {}};
    for (int64_t i : keep) {
        x.images.data.insert(x.images.data.end(), ds.image(i), ds.image(i) + ds.image_size());
        if (ds.labelled()) x.labels.push_back(ds.labels[static_cast<size_t>(i)]);
    }
    for (float& v : x.images.data) v = r.lo + (r.hi - r.lo) * v;
    return x;
}

void check_domains(const data::Dataset& a, const data::Dataset& b, const nlohmann::json& section,
                   const std::function<std::string(const std::string&)>& at) {
    for (const auto& [name, ds] : {std::pair<std::string, const data::Dataset*>{"a", &a}, {"b", &b}}) {
        const std::vector<int64_t> classes = data_options(section, 0, name).classes;
        const bool own = section["domains"][name].contains("classes");
        const std::string key = own ? "data.domains." + name + ".classes" : "data.classes";
        if (!classes.empty() && !ds->labelled())
            throw Error(at(key) + ": domain " + name + "'s dataset " + ds->source +
                        " has no labels, so classes cannot pick its images; remove the classes or use a labelled dataset");
        for (int64_t c : classes)
            if (c >= ds->num_classes)
                throw Error(at(key) + ": domain " + name + " asks for class " + std::to_string(c) + ", which " +
                            ds->source + " does not have (its classes are 0.." + std::to_string(ds->num_classes - 1) +
                            "); pick classes that exist");
    }
    if (a.channels != b.channels || a.height != b.height || a.width != b.width) {
        auto shape = [](const data::Dataset& d) {
            return std::to_string(d.channels) + "x" + std::to_string(d.height) + "x" + std::to_string(d.width);
        };
        throw Error(at("data.domains") + ": the two domains hold images of different shapes: a (" + a.source + ") " +
                    shape(a) + ", b (" + b.source + ") " + shape(b) +
                    "; the translators map images of one shape to the same shape: use datasets of one shape (for "
                    "shapes, the same data.domains.*.image_size)");
    }
}

nlohmann::json default_data_section(nlohmann::json section) {
    std::vector<schema::Issue> issues;
    schema::validate(section, pipeline::pipeline_schema()["properties"]["data"], issues);
    if (!issues.empty()) throw Error("data: " + schema::format(issues));
    return section;
}

}  // namespace genhost::run
