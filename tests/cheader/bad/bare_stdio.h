/* Uses FILE and size_t without including <stdio.h>, as jpeglib.h does:
 * it needs --include stdio.h. */
size_t fwrite(const void *ptr, size_t size, size_t n, FILE *stream);
FILE *fopen(const char *path, const char *mode);
int fclose(FILE *stream);

/* An array sized with sizeof, as glibc's __sigset_t: cffi needs a number. */
struct bare_bits {
    unsigned long words[1024 / (8 * sizeof(unsigned long int))];
    char tail[sizeof(short) + 2];
};
struct bare_bits *bare_bits_of(FILE *stream);
