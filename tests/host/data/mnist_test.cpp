// The MNIST-layout kinds: the real Fashion-MNIST test split when Debian's package is
// installed, and folder lookup errors.
#include "data/load.hpp"
#include "data/mnist.hpp"
#include "test_files.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

using namespace genhost::data;
using Catch::Contains;

TEST_CASE("Fashion-MNIST test split has its known size, labels and pixel sum", "[data][mnist]") {
    if (!std::filesystem::exists(std::string(fashion_mnist_default_path) + "/t10k-images-idx3-ubyte.gz")) {
        WARN("skipped: Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        return;
    }
    DataOptions opt = data_default_options();
    opt.split = "test";
    const Dataset ds = load_dataset(opt);
    REQUIRE(ds.n == 10000);
    REQUIRE(ds.channels == 1);
    REQUIRE(ds.height == 28);
    REQUIRE(ds.width == 28);
    REQUIRE(ds.num_classes == 10);
    REQUIRE(ds.class_names.size() == 10);
    CHECK(ds.class_names[9] == "Ankle boot");
    std::vector<int64_t> histogram(10, 0);
    for (int64_t l : ds.labels) histogram[size_t(l)]++;
    CHECK(histogram == std::vector<int64_t>(10, 1000));
    CHECK(std::vector<int64_t>(ds.labels.begin(), ds.labels.begin() + 5) == std::vector<int64_t>{9, 2, 1, 1, 6});
    // sum of the raw bytes, from NumPy: 573469082 (first image: 33456)
    int64_t sum = 0, first = 0;
    for (size_t i = 0; i < ds.images.size(); ++i) {
        const int64_t byte = std::lround(ds.images[i] * 255.f);
        sum += byte;
        if (i < 784) first += byte;
    }
    CHECK(sum == 573469082);
    CHECK(first == 33456);
    CHECK_THAT(describe(ds), Contains("10000 images 1x28x28, 10 classes: 0=T-shirt/top"));
}

TEST_CASE("a missing Fashion-MNIST folder says how to install it", "[data][mnist]") {
    test::TempDir dir;
    CHECK_THAT(test::error_of([&] { load_fashion_mnist(dir.file("nowhere"), "train"); }),
               Contains("nowhere does not exist") && Contains("apt-get install dataset-fashion-mnist") &&
                   Contains("data.path"));
    CHECK_THAT(test::error_of([&] { load_fashion_mnist(dir.str(), "test"); }),
               Contains("has no file t10k-images-idx3-ubyte[.gz]"));
    CHECK_THAT(test::error_of([&] { load_fashion_mnist(dir.str(), "validation"); }),
               Contains("data.split: 'validation' is not a split; expected train or test"));
}

TEST_CASE("mnist and idx kinds read an MNIST-layout folder of raw files", "[data][mnist]") {
    test::TempDir dir;
    dir.write("t10k-images-idx3-ubyte", test::idx(0x803, {2, 3, 3}, test::Bytes(18, 255)));
    dir.write("t10k-labels-idx1-ubyte", test::idx(0x801, {2}, {7, 3}));
    const Dataset m = load_mnist(dir.str(), "test");
    CHECK(m.n == 2);
    CHECK(m.num_classes == 10);
    CHECK(m.images[17] == 1.f);
    DataOptions opt = data_default_options();
    opt.kind = "idx";
    opt.path = dir.str();
    opt.split = "test";
    CHECK(load_dataset(opt).num_classes == 8);  // generic idx: max label + 1
    CHECK_THAT(test::error_of([&] { load_mnist("", "train"); }), Contains("data.path: the mnist kind needs a path"));
    dir.write("t10k-labels-idx1-ubyte", test::idx(0x801, {2}, {7, 12}));
    CHECK_THAT(test::error_of([&] { load_mnist(dir.str(), "test"); }),
               Contains("label 12 at index 1") && Contains("expected 0..9"));
    opt.kind = "imagenet";
    CHECK_THAT(test::error_of([&] { load_dataset(opt); }),
               Contains("data.kind: unknown dataset kind 'imagenet'; expected one of fashion-mnist, mnist"));
}
