#ifndef CCRYPTO_SHIM_H
#define CCRYPTO_SHIM_H

// OpenSSL's one-shot digest, used for the SHA-1 that names a Lua script
// (EVALSHA). Only the EVP interface is exposed: it is not deprecated in
// OpenSSL 3, unlike SHA1().

#include <openssl/evp.h>

/// Writes the 20-byte SHA-1 of `length` bytes at `data` into `digest`.
/// Returns 1 on success.
static inline int ccrypto_sha1(const void *data, size_t length, unsigned char *digest) {
    unsigned int size = 0;
    return EVP_Digest(data, length, digest, &size, EVP_sha1(), NULL);
}

#endif
