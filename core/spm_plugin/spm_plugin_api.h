#pragma once
// The C interface of libfoldbench_spm, the only library that links sentencepiece.
// It is loaded with dlopen(RTLD_LOCAL | RTLD_DEEPBIND) so sentencepiece's private copy of
// protobuf never meets the one LibTorch loads (see docs/PLATFORM-FACTS.md). Plain C types only.
#ifdef __cplusplus
extern "C" {
#endif

// Training runs in a child process (spm_train_main.cpp), not through this interface.
#define FBSPM_API_VERSION 2

typedef int (*fbspm_api_version_fn)(void);
// Loads a .model file; null on failure with the error text in `err`.
typedef void* (*fbspm_load_fn)(const char* path, char* err, int err_len);
typedef void (*fbspm_free_fn)(void* processor);
// Encodes UTF-8 text into piece ids. Returns the number of ids, which may exceed `capacity`
// (then call again with a larger buffer), or -1 on error.
typedef int (*fbspm_encode_fn)(void* processor, const char* text, int text_len, int* ids, int capacity);
typedef int (*fbspm_piece_count_fn)(void* processor);
typedef int (*fbspm_unk_id_fn)(void* processor);
// Writes the piece of `id` into `out` (NUL-terminated); returns its length or -1.
typedef int (*fbspm_id_to_piece_fn)(void* processor, int id, char* out, int capacity);

#ifdef __cplusplus
}
#endif
