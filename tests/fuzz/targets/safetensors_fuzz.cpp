// The safetensors reader (checkpoints, model.checkpoint): parse, then read every tensor
// back as float32, as loading does. Any genhost::Error is a fine answer.
#include "checkpoint/reader.hpp"
#include "util/error.hpp"

#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const auto c = genhost::checkpoint::Checkpoint::parse(data, size, "fuzz.safetensors");
        for (const auto& name : c.names()) {
            const auto& t = c.tensor(name);
            if (t.numel() > (1u << 20)) continue;
            std::vector<float> out(t.numel());
            try {
                c.copy_to(name, genhost::checkpoint::Dtype::F32, t.shape, out.data(), out.size() * sizeof(float));
            } catch (const genhost::Error&) {  // a dtype that does not convert
            }
        }
        (void)c.metadata();
    } catch (const genhost::Error&) {
    }
    return 0;
}
