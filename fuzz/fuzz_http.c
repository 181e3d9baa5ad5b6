/* libFuzzer target: the web server's request-head parser on arbitrary bytes.
 * Checks that every string it returns lies inside the input. */
#include <stdint.h>
#include <stdlib.h>

#include "../examples/webserver/http.h"

static void inside(const uint8_t *data, size_t size, http_str_t s) {
    if (s.n && ((const uint8_t *)s.p < data || (const uint8_t *)s.p + s.n > data + size)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    http_request_t req;
    int status = http_parse_head((const char *)data, size, &req);
    if (status != 0 && status != 400 && status != 431 && status != 501 && status != 505) abort();
    if (status == 0) {
        inside(data, size, req.method);
        inside(data, size, req.target);
        inside(data, size, req.path);
        inside(data, size, req.query);
        if (req.n_headers > HTTP_MAX_HEADERS) abort();
        for (size_t i = 0; i < req.n_headers; i++) {
            inside(data, size, req.names[i]);
            inside(data, size, req.values[i]);
        }
        (void)http_header(&req, "host");
    }
    return 0;
}
