// wc for WASI: counts lines, words and bytes of each file named on the command line (inside
// a preopened folder), or of stdin when none is named. WC_LABEL, when set, prefixes the total.
// Built with: python3 -m ziglang cc -target wasm32-wasi -O2 -s -o wc.wasm wc.c
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

struct counts { long lines, words, bytes; };

static int count(FILE *f, struct counts *c) {
    int ch, in_word = 0;
    while ((ch = getc(f)) != EOF) {
        c->bytes++;
        if (ch == '\n') c->lines++;
        if (isspace(ch)) in_word = 0;
        else if (!in_word) { in_word = 1; c->words++; }
    }
    return ferror(f) ? -1 : 0;
}

int main(int argc, char **argv) {
    struct counts total = {0, 0, 0};
    int status = 0;
    if (argc < 2) {
        count(stdin, &total);
        printf("%7ld %7ld %7ld\n", total.lines, total.words, total.bytes);
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        if (!f) { perror(argv[i]); status = 1; continue; }
        struct counts c = {0, 0, 0};
        count(f, &c);
        fclose(f);
        printf("%7ld %7ld %7ld %s\n", c.lines, c.words, c.bytes, argv[i]);
        total.lines += c.lines; total.words += c.words; total.bytes += c.bytes;
    }
    const char *label = getenv("WC_LABEL");
    if (argc > 2) printf("%7ld %7ld %7ld %s\n", total.lines, total.words, total.bytes, label ? label : "total");
    return status;
}
