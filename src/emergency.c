/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* onFailure "emergency": the initrd stage stops the boot instead of going on with the old state. */

#include <systemd/sd-bus.h>

#include "emergency.h"
#include "log.h"
#include "macro.h"

/* sd-bus.h brings its own sd_bus_flush_close_unrefp() and sd_bus_message_unrefp() for cleanup. */

static int connect_pid1(sd_bus **ret) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        int r;

        /* PID 1 listens here for root; this is what systemctl uses when there is no bus broker. */
        r = sd_bus_new(&bus);
        if (r < 0)
                return r;
        r = sd_bus_set_address(bus, "unix:path=/run/systemd/private");
        if (r < 0)
                return r;
        r = sd_bus_start(bus);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(bus);
        return 0;
}

int start_emergency_target(void) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        r = connect_pid1(&bus);
        if (r < 0)
                return log_error_errno(r, "Failed to connect to PID 1 to start emergency.target: %m");
        r = sd_bus_call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                               "org.freedesktop.systemd1.Manager", "StartUnit", &error, &reply, "ss",
                               "emergency.target", "replace-irreversibly");
        if (r < 0) {
                log_error_errno(r, "Failed to start emergency.target: %s", error.message ?: "unknown error");
                sd_bus_error_free(&error);
                return r;
        }
        log_event(LOG_CRIT, NULL, "onFailure is \"emergency\": the boot stops in emergency.target.");
        return 0;
}
