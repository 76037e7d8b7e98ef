/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Talking to PID 1 through sd-bus on /run/systemd/private: unit states, starting units. */

#include "dlopen-libs.h"
#include "log.h"
#include "macro.h"
#include "pid1.h"

/* libsystemd is loaded on first use (dlopen-libs.h): most boots never call PID 1. */

#define SYSTEMD_DEST    "org.freedesktop.systemd1"
#define SYSTEMD_PATH    "/org/freedesktop/systemd1"
#define SYSTEMD_MANAGER "org.freedesktop.systemd1.Manager"

static int connect_pid1(sd_bus **ret) {
        _cleanup_(sym_sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        int r;

        r = dlopen_libsystemd();
        if (r < 0)
                return r;
        /* PID 1 listens here for root; systemctl uses it when there is no bus broker. */
        r = sym_sd_bus_new(&bus);
        if (r < 0)
                return r;
        r = sym_sd_bus_set_address(bus, "unix:path=/run/systemd/private");
        if (r < 0)
                return r;
        r = sym_sd_bus_start(bus);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(bus);
        return 0;
}

int pid1_unit_active(const char *unit) {
        _cleanup_(sym_sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_free_ char *state = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        const char *path;
        int r;

        assert(unit);

        r = connect_pid1(&bus);
        if (r < 0)
                return r;
        r = sym_sd_bus_call_method(bus, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER, "LoadUnit", &error, &reply, "s",
                                   unit);
        sym_sd_bus_error_free(&error);
        if (r < 0)
                return r;
        r = sym_sd_bus_message_read(reply, "o", &path);
        if (r < 0)
                return r;
        r = sym_sd_bus_get_property_string(bus, SYSTEMD_DEST, path, "org.freedesktop.systemd1.Unit", "ActiveState",
                                           &error, &state);
        sym_sd_bus_error_free(&error);
        if (r < 0)
                return r;
        return streq(state, "active") || streq(state, "reloading");
}

int pid1_start_unit(const char *unit, const char *mode) {
        _cleanup_(sym_sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sym_sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        assert(unit);
        assert(mode);

        r = connect_pid1(&bus);
        if (r < 0)
                return log_error_errno(r, "Failed to connect to PID 1 to start %s: %m", unit);
        r = sym_sd_bus_call_method(bus, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER, "StartUnit", &error, &reply, "ss",
                                   unit, mode);
        if (r < 0) {
                log_error_errno(r, "Failed to start %s: %s", unit, error.message ?: "unknown error");
                sym_sd_bus_error_free(&error);
                return r;
        }
        return 0;
}

int pid1_start_emergency_target(void) {
        int r = pid1_start_unit("emergency.target", "replace-irreversibly");
        if (r < 0)
                return r;
        log_event(LOG_CRIT, NULL, "onFailure is \"emergency\": the boot stops in emergency.target.");
        log_console("onFailure is \"emergency\": the boot stops in emergency.target.");
        return 0;
}
