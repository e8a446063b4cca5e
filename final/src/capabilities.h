/* capabilities.h - what root inside the container may do, with libcap.
 *
 * The container description holds capability sets as bit masks
 * (container.h); this module turns names into bits and applies the sets to
 * the container's init just before exec.
 */
#ifndef MVRC_CAPABILITIES_H
#define MVRC_CAPABILITIES_H

#include <stdint.h>

#include "container.h"
#include "err.h"

/* A capability's number from its name: "NET_ADMIN", "cap_net_admin",
 * "CAP_NET_ADMIN" (libcap's cap_from_name).  Rejects unknown names and
 * bare numbers. */
int capabilities_from_name(const char *name, int *cap, struct err *e);

/* Docker's --cap-add/--cap-drop rules on top of `base`: "ALL" in add means
 * every capability but the dropped ones; "ALL" in drop means only the added
 * ones; otherwise base + add - drop.  Lists are NULL-terminated or NULL. */
int capabilities_combine(uint64_t base, char *const *add, char *const *drop,
			 uint64_t *out, struct err *e);

/* Every capability this kernel knows, as a mask. */
uint64_t capabilities_all(void);

/* Child, before exec: drop the bounding set to caps->bounding.  Needs
 * CAP_SETPCAP, so call it before switching user. */
int capabilities_drop_bounding(const struct capabilities *caps, struct err *e);

/* Child, after switching user (with PR_SET_KEEPCAPS): set the effective,
 * permitted and inheritable sets and the ambient set exactly. */
int capabilities_apply(const struct capabilities *caps, struct err *e);

#endif
