/* Included by include.x: the error is reported here, not in cpp's output. */
struct from_header {
    missing_t m;    // E: undefined type 'missing_t'
};
