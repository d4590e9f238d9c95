// DataLoader: order, reproducibility, resuming, prefetch equivalence, filters, range.
#include "data/loader.hpp"
#include "data/shapes.hpp"
#include "test_files.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <numeric>

using namespace genhost::data;
using Catch::Contains;

namespace {

std::shared_ptr<const Dataset> shapes(int64_t count) {
    ShapesOptions opt;
    opt.count = count;
    opt.size = 8;
    return std::make_shared<const Dataset>(make_shapes(opt));
}

DataOptions options(int64_t batch_size, int64_t prefetch) {
    DataOptions opt = data_default_options();
    opt.batch_size = batch_size;
    opt.prefetch = prefetch;
    opt.seed = 42;
    return opt;
}

bool same(const Batch& a, const Batch& b) {
    return a.epoch == b.epoch && a.index == b.index && a.size == b.size && a.images == b.images &&
           a.labels == b.labels;
}

}  // namespace

TEST_CASE("epoch order is a reproducible permutation that changes with epoch and seed", "[data][loader]") {
    const auto ds = shapes(100);
    const DataLoader loader(ds, options(16, 0));
    const std::vector<int64_t> e0 = loader.epoch_order(0);
    CHECK(e0 == DataLoader(ds, options(16, 0)).epoch_order(0));
    std::vector<int64_t> sorted = e0, identity(100);
    std::sort(sorted.begin(), sorted.end());
    std::iota(identity.begin(), identity.end(), 0);
    CHECK(sorted == identity);
    CHECK(e0 != identity);
    CHECK(loader.epoch_order(1) != e0);
    DataOptions other = options(16, 0);
    other.seed = 43;
    CHECK(DataLoader(ds, other).epoch_order(0) != e0);
    other.shuffle = false;
    CHECK(DataLoader(ds, other).epoch_order(3) == identity);
}

TEST_CASE("batches cover the epoch, the last one short unless drop_last", "[data][loader]") {
    const auto ds = shapes(100);
    DataLoader loader(ds, options(16, 0));
    REQUIRE(loader.batches_per_epoch() == 7);
    std::vector<int64_t> seen;
    for (int i = 0; i < 7; ++i) {
        const Batch b = loader.next();
        CHECK(b.epoch == 0);
        CHECK(b.index == i);
        CHECK(b.size == (i < 6 ? 16 : 4));
        CHECK(b.images.size() == size_t(b.size * 64));
        const auto order = loader.epoch_order(0);
        for (int64_t k = 0; k < b.size; ++k) {
            const int64_t idx = order[size_t(i * 16 + k)];
            seen.push_back(idx);
            CHECK(b.labels[size_t(k)] == ds->labels[size_t(idx)]);
            CHECK(std::equal(b.images.begin() + k * 64, b.images.begin() + (k + 1) * 64, ds->image(idx)));
        }
    }
    std::sort(seen.begin(), seen.end());
    CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
    CHECK(seen.size() == 100);
    CHECK(loader.next().epoch == 1);
    DataOptions drop = options(16, 0);
    drop.drop_last = true;
    CHECK(DataLoader(ds, drop).batches_per_epoch() == 6);
}

TEST_CASE("shards of a global batch are the single-process batch split in rank order", "[data][loader][dist]") {
    // 100 examples, 3 ranks of 12: global batches of 36, the last one 28 = 12 + 12 + 4.
    const auto ds = shapes(100);
    for (int64_t prefetch : {0, 2}) {
        DataLoader one(ds, options(36, 0));
        std::vector<std::unique_ptr<DataLoader>> ranks;
        for (int64_t r = 0; r < 3; ++r) {
            DataOptions o = options(12, prefetch);
            o.shard_rank = r, o.shard_count = 3;
            ranks.push_back(std::make_unique<DataLoader>(ds, o));
            CHECK(ranks.back()->batches_per_epoch() == one.batches_per_epoch());
        }
        for (int step = 0; step < 4; ++step) {  // into the second epoch
            const Batch global = one.next();
            std::vector<float> images;
            std::vector<int64_t> labels;
            std::vector<int64_t> sizes;
            for (auto& l : ranks) {
                const Batch b = l->next();
                CHECK(b.epoch == global.epoch);
                CHECK(b.index == global.index);
                sizes.push_back(b.size);
                images.insert(images.end(), b.images.begin(), b.images.end());
                labels.insert(labels.end(), b.labels.begin(), b.labels.end());
            }
            CHECK(images == global.images);
            CHECK(labels == global.labels);
            CHECK(sizes == (step == 2 ? std::vector<int64_t>{12, 12, 4} : std::vector<int64_t>{12, 12, 12}));
        }
    }
    // A short last batch may leave a rank nothing: 100 = 2 x 48 + 4 for ranks of 16.
    DataOptions o = options(16, 0);
    o.shard_rank = 2, o.shard_count = 3;
    DataLoader last(ds, o);
    CHECK(last.batch_at(0, 2).size == 0);
    o.shard_rank = 3;
    CHECK_THROWS_WITH(DataLoader(ds, o), Contains("shard 3 of 3 does not exist"));
    o.shard_rank = 0, o.batch_size = 40, o.drop_last = true;
    CHECK_THROWS_WITH(DataLoader(ds, o), Contains("40 per process, 120 for the 3 processes"));
}

TEST_CASE("resuming at (epoch, batch) gives the batches of an uninterrupted run", "[data][loader]") {
    const auto ds = shapes(50);
    for (int64_t prefetch : {0, 3}) {
        DataLoader straight(ds, options(8, prefetch));
        std::vector<Batch> run;
        for (int i = 0; i < 20; ++i) run.push_back(straight.next());  // 7 batches an epoch
        DataLoader resumed(ds, options(8, prefetch));
        resumed.next();
        resumed.seek(1, 4);  // batch 11 of the run
        for (int i = 11; i < 20; ++i) CHECK(same(resumed.next(), run[size_t(i)]));
        CHECK(same(resumed.batch_at(2, 1), run[15]));
    }
}

TEST_CASE("background prefetch yields exactly the synchronous batches", "[data][loader]") {
    const auto ds = shapes(300);
    DataLoader sync(ds, options(32, 0)), ahead(ds, options(32, 4));
    for (int i = 0; i < 40; ++i) REQUIRE(same(sync.next(), ahead.next()));
    // destroying a loader whose worker is blocked on a full queue must not hang
    DataLoader idle(ds, options(32, 2));
    idle.next();
}

TEST_CASE("range (-1, 1) maps pixel 0 to -1 and 1 to 1", "[data][loader]") {
    auto ds = std::make_shared<Dataset>();
    ds->n = 2;
    ds->channels = ds->height = 1;
    ds->width = 3;
    ds->images = {0.f, 0.5f, 1.f, 0.25f, 0.75f, 0.f};
    DataOptions opt = options(2, 0);
    opt.shuffle = false;
    opt.range_min = -1.f;
    DataLoader loader(ds, opt);
    const Batch b = loader.next();
    CHECK(b.images == std::vector<float>{-1.f, 0.f, 1.f, -0.5f, 0.5f, -1.f});
    CHECK(b.labels.empty());
}

TEST_CASE("classes and limit select examples in dataset order", "[data][loader]") {
    const auto ds = shapes(100);
    DataOptions opt = options(10, 0);
    opt.classes = {1, 3};
    opt.shuffle = false;
    DataLoader two(ds, opt);
    CHECK(two.size() == 40);
    CHECK(two.epoch_order(0)[0] == 1);
    CHECK(two.epoch_order(0)[1] == 3);
    CHECK(two.epoch_order(0)[2] == 6);
    opt.limit = 5;
    DataLoader few(ds, opt);
    CHECK(few.size() == 5);
    CHECK(few.batches_per_epoch() == 1);
    const Batch b = few.next();
    CHECK(b.labels == std::vector<int64_t>{1, 3, 1, 3, 1});
}

TEST_CASE("an inconsistent hand-made Dataset is refused, not over-read", "[data][loader]") {
    auto ds = std::make_shared<Dataset>();
    ds->n = 2;
    ds->channels = ds->height = ds->width = 2;
    ds->images.assign(7, 0.f);
    ds->source = "hand-made";
    CHECK_THAT(test::error_of([&] { DataLoader(ds, options(1, 0)); }),
               Contains("hand-made: inconsistent dataset (2 images of 2x2x2, 7 values"));
    ds->images.assign(16, 0.f);
    ds->labels = {0, 3};
    ds->num_classes = 3;
    CHECK_THAT(test::error_of([&] { DataLoader(ds, options(1, 0)); }),
               Contains("hand-made: label 3 of example 1 is outside 0..2"));
}

TEST_CASE("bad loader options are errors naming the option", "[data][loader]") {
    const auto ds = shapes(10);
    DataOptions opt = options(0, 0);
    CHECK_THAT(test::error_of([&] { DataLoader(ds, opt); }), Contains("data.batch_size: expected a positive"));
    opt = options(4, 0);
    opt.classes = {7};
    CHECK_THAT(test::error_of([&] { DataLoader(ds, opt); }), Contains("data.classes: class 7 does not exist") &&
                                                                Contains("expected 0..4"));
    opt = options(4, 0);
    opt.range_min = 1.f;
    CHECK_THAT(test::error_of([&] { DataLoader(ds, opt); }), Contains("data.range"));
    opt = options(20, 0);
    opt.drop_last = true;
    CHECK_THAT(test::error_of([&] { DataLoader(ds, opt); }), Contains("drop_last drops the only"));
    DataLoader loader(ds, options(4, 0));
    CHECK_THAT(test::error_of([&] { loader.seek(0, 3); }), Contains("cannot resume at batch 3 of epoch 0"));
}

TEST_CASE("an error on the prefetch thread reaches next() after the good batches", "[data][loader]") {
    const auto ds = shapes(100);
    for (int64_t prefetch : {0, 2}) {
        DataLoader loader(ds, options(10, prefetch));
        loader.set_transform([](Batch& b) {
            if (b.index == 3) throw genhost::Error("transform failed at batch 3");
            b.images[0] = -7.f;
        });
        for (int i = 0; i < 3; ++i) CHECK(loader.next().images[0] == -7.f);
        CHECK_THROWS_WITH(loader.next(), Contains("transform failed at batch 3"));
        if (prefetch > 0) CHECK_THROWS_WITH(loader.next(), Contains("transform failed"));  // no hang
        loader.seek(0, 4);  // a fresh worker starts after the failing batch
        CHECK(loader.next().index == 4);
    }
}

TEST_CASE("last_epoch is the epoch of the batch just drawn, also at an epoch's end", "[data][loader]") {
    for (int64_t prefetch : {0, 2}) {
        DataLoader loader(shapes(48), options(16, prefetch));  // 3 batches an epoch
        CHECK(loader.last_epoch() == 0);
        for (int i = 0; i < 3; ++i) CHECK(loader.next().epoch == 0);
        CHECK(loader.last_epoch() == 0);  // the step that drew the epoch's last batch trained on epoch 0
        CHECK(loader.epoch() == 1);       // while the next batch comes from epoch 1
        CHECK(loader.next().epoch == 1);
        CHECK(loader.last_epoch() == 1);
        loader.seek(4, 2);
        CHECK(loader.last_epoch() == 4);
    }
}

TEST_CASE("describe with options says how many examples limit and classes keep", "[data][loader]") {
    const auto ds = shapes(100);
    DataOptions o = options(16, 0);
    CHECK(describe(*ds, o) == describe(*ds));
    o.limit = 30;
    CHECK_THAT(describe(*ds, o), Catch::StartsWith(describe(*ds)) && Catch::EndsWith("; 30 of them used (data.limit)"));
    o.limit = 0;
    o.classes = {0, 2};
    const DataLoader loader(ds, o);
    CHECK_THAT(describe(*ds, o), Catch::EndsWith("; " + std::to_string(loader.size()) + " of them used (data.classes)"));
    o.limit = 1000;  // more than there are: all of the kept classes
    CHECK_THAT(describe(*ds, o),
               Catch::EndsWith("; " + std::to_string(loader.size()) + " of them used (data.classes and data.limit)"));
}
