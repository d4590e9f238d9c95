// genhost checkpoints: the safetensors format (https://github.com/huggingface/safetensors),
// read strictly and written atomically. Include this header; the parts are dtype.hpp,
// writer.hpp, reader.hpp and atomic_file.hpp. User-facing notes: docs/checkpoints.md.
//
// A file is: 8 bytes little-endian N | N bytes of UTF-8 JSON header | raw little-endian data.
//   {"__metadata__": {"step": "1000"},
//    "encoder.fc1.weight": {"dtype": "F32", "shape": [400, 784], "data_offsets": [0, 1254400]}, ...}
// data_offsets are relative to the first byte after the header.
//
// Saving (same content -> same bytes; a crash at any moment leaves the old file or the new):
//
//     genhost::checkpoint::Writer w;
//     w.add_f32_view("encoder.fc1.weight", {400, 784}, fc1.data());   // no copy
//     w.add<std::int64_t>("step", {}, {step});                         // copies
//     w.set_metadata("model", "vae");
//     w.write_atomic("runs/x/checkpoint.safetensors");
//
// Loading (every malformed file is a genhost::Error naming the file, tensor and problem):
//
//     auto c = genhost::checkpoint::Checkpoint::read("runs/x/checkpoint.safetensors");
//     const float* fc1 = c.data<float>("encoder.fc1.weight", {400, 784});  // view, no copy
//     // "checkpoint runs/x/checkpoint.safetensors: tensor 'encoder.fc1.weight' has shape
//     //  [400,784], the model expects [200,784]; ..." if the model was configured differently.
//     std::string model = c.metadata().at("model");
#pragma once

#include "checkpoint/atomic_file.hpp"
#include "checkpoint/dtype.hpp"
#include "checkpoint/reader.hpp"
#include "checkpoint/writer.hpp"
