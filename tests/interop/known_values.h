/* Known values of everything.x, filled in C. test_everything.py builds the same
 * values in Python (known_everything()); keep the two in step.
 *
 * Variant 0 takes the data-carrying arms, variant 1 the void and default arms,
 * empty containers and NULL pointers. Storage is static: one value per variant. */
#ifndef KNOWN_VALUES_H
#define KNOWN_VALUES_H

#include <string.h>
#include "everything.h"

static void known_scalars(scalars *sc, int variant)
{
    memset(sc, 0, sizeof *sc);
    if (variant == 0) {
        sc->b = TRUE;
        sc->i = -123456;
        sc->u = 4000000000u;
        sc->h = -9000000000000LL;
        sc->uh = 18000000000000000000ULL;
        sc->f = 1.5f;
        sc->d = -2.25;
        sc->c = -5;
        sc->s = -300;
        sc->us = 65000;
        sc->col = BLUE;
        sc->lv = LOW;
        sc->t = 0xFFFFFFFFFFFFFFFFULL;
    } else {
        sc->b = FALSE;
        sc->i = -2147483647 - 1;
        sc->u = 0;
        sc->h = -9223372036854775807LL - 1;
        sc->uh = 0;
        sc->f = -0.0f;
        sc->d = 1e300;
        sc->c = 127;
        sc->s = -32768;
        sc->us = 0;
        sc->col = RED;
        sc->lv = HIGH;
        sc->t = 1;
    }
}

static void known_containers(containers *co, int variant)
{
    static char bl[5] = {1, 2, 3, 4, 5};
    static char sb[1] = {9};
    static int cs[2] = {7, 8};
    static quad_t hs[2] = {-1, 1LL << 40};
    static name names[2] = {"ann", "bob"};
    static point pts[1] = {{9, -9}};
    static point opt = {5, -5};
    static node n3 = {3, "three", NULL}, n2 = {2, "two", &n3}, n1 = {1, "one", &n2};
    memset(co, 0, sizeof *co);
    for (int k = 0; k < DIGEST_LEN; k++)
        co->dg[k] = (char)(variant == 0 ? k : 0xf0 + k);
    co->odd[0] = (char)0xde;
    co->odd[1] = (char)0xad;
    co->odd[2] = (char)0xbe;
    co->fixed4[0] = 1;
    co->fixed4[1] = -2;
    co->fixed4[2] = 3;
    co->fixed4[3] = -4;
    co->pal[0] = RED;
    co->pal[1] = GREEN;
    co->pal[2] = BLUE;
    if (variant == 0) {
        co->bl.blob_len = 5;
        co->bl.blob_val = bl;
        co->sb.small_blob_len = 1;
        co->sb.small_blob_val = sb;
        co->who = "who";
        co->note = "a note";
        co->tag = "tag5!";
        co->cs.counts_len = 2;
        co->cs.counts_val = cs;
        co->hs.hypers_len = 2;
        co->hs.hypers_val = hs;
        co->names.names_len = 2;
        co->names.names_val = names;
        co->pts.pts_len = 1;
        co->pts.pts_val = pts;
        co->opt_point = &opt;
        co->chain = &n1;
    } else {
        co->who = "";
        co->note = "";
        co->tag = "";
    }
}

static void known_everything(everything *e, int variant)
{
    static shape shapes[2];
    memset(e, 0, sizeof *e);
    known_scalars(&e->sc, variant);
    known_containers(&e->co, variant);
    e->r.corner[1].x = 10;
    e->r.corner[1].y = 20;
    e->r.fill = GREEN;
    if (variant == 0) {
        e->sh.kind = GREEN;
        e->sh.shape_u.box.corner[0].x = 1;
        e->sh.shape_u.box.corner[0].y = 2;
        e->sh.shape_u.box.corner[1].x = 3;
        e->sh.shape_u.box.corner[1].y = 4;
        e->sh.shape_u.box.fill = RED;
        e->oc.status = 2;
        e->oc.outcome_u.message = "two";
        e->fl.set = TRUE;
        e->fl.flag_u.bits = 0x8000000000000001ULL;
        e->num.which = 0xffffffffu;
        e->num.number_u.lv = HIGH;
        memset(shapes, 0, sizeof shapes);
        shapes[0].kind = RED;
        shapes[0].shape_u.center.x = 7;
        shapes[0].shape_u.center.y = 8;
        shapes[1].kind = BLUE;
        e->shapes.shapes_len = 2;
        e->shapes.shapes_val = shapes;
    } else {
        static char raw[1] = {(char)0xff};
        e->sh.kind = BLUE;
        e->oc.status = 42;
        e->oc.outcome_u.raw.raw_len = 1;
        e->oc.outcome_u.raw.raw_val = raw;
        e->fl.set = FALSE;
        e->num.which = 1;
        e->num.number_u.d = 3.25;
    }
}

#endif
