/*
 * lt_shim.cpp — the C ABI over libtorrent-rasterbar 2.0 declared in
 * lt_shim.h. Thin by rule: each function maps one C call onto libtorrent, and
 * lts_drain() maps alerts onto C events. No policy, no caches, no threads;
 * every exception stops at the one barrier (barrier(), on_handle()) and
 * becomes an error code.
 */
#include "engine/lt_shim.h"

#include <libtorrent/add_torrent_params.hpp>
#include <libtorrent/alert_types.hpp>
#include <libtorrent/error_code.hpp>
#include <libtorrent/hex.hpp>
#include <libtorrent/ip_filter.hpp>
#include <libtorrent/magnet_uri.hpp>
#include <libtorrent/mmap_disk_io.hpp>
#include <libtorrent/posix_disk_io.hpp>
#include <libtorrent/read_resume_data.hpp>
#include <libtorrent/bdecode.hpp>
#include <libtorrent/peer_info.hpp>
#include <libtorrent/session.hpp>
#include <libtorrent/session_stats.hpp>
#include <libtorrent/session_params.hpp>
#include <libtorrent/settings_pack.hpp>
#include <libtorrent/torrent_handle.hpp>
#include <libtorrent/torrent_info.hpp>
#include <libtorrent/torrent_status.hpp>
#include <libtorrent/write_resume_data.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <cstdlib>
#include <exception>
#include <set>
#include <string>
#include <vector>

namespace lt = libtorrent;

struct lts_pack {
    lt::settings_pack pack;
    enum lts_disk_io disk_io = LTS_DISK_IO_MMAP; /* libtorrent's default */
};

struct lts_session {
    lt::session ses;
    enum lts_disk_io disk_io; /* the backend it was constructed with */
    lts_url_map resume_url{}; /* lts_set_resume_url_map, or none */
    lts_session(lt::session_params &&p, enum lts_disk_io io) : ses(std::move(p)), disk_io(io) {}
};

struct lts_torrent {
    lt::torrent_handle h;
};

namespace
{

/* The exception barrier: no exception crosses the C ABI. Every extern "C"
 * body that calls into libtorrent or allocates runs its work as fn here:
 * fn's result is returned; an exception becomes `fail`, and its text
 * (after `prefix`) goes to err when the caller gave one. Calls without a
 * result return 0 from fn and ignore the answer. */
template <class R, class Fn>
R barrier(R fail, Fn &&fn, char *err = nullptr, size_t errlen = 0, const char *prefix = "") noexcept
{
    try {
        return fn();
    } catch (std::exception const &ex) {
        if (err && errlen) std::snprintf(err, errlen, "%s%s", prefix, ex.what());
    } catch (...) {
        if (err && errlen) std::snprintf(err, errlen, "%sunexpected exception", prefix);
    }
    return fail;
}

/* A command on one torrent: -EINVAL without a torrent, 0 once fn ran,
 * -EIO if it threw. */
template <class Fn> int on_handle(lts_torrent *t, Fn &&fn) noexcept
{
    if (!t) return -EINVAL;
    return barrier(-EIO, [&] {
        fn();
        return 0;
    });
}

void set_err(char *err, size_t errlen, const std::string &msg)
{
    if (err && errlen > 0) std::snprintf(err, errlen, "%s", msg.c_str());
}

/* The v1 hash, or the truncated v2 hash for v2-only torrents. */
lt::sha1_hash key_of(lt::info_hash_t const &ih)
{
    return ih.has_v1() ? ih.v1 : ih.get_best();
}

/* A system error's errno (ENOSPC, ...), 0 for none or libtorrent's own codes. */
int errno_of(lt::error_code const &ec)
{
    if (!ec) return 0;
    if (ec.category() == lt::generic_category() || ec.category() == lt::system_category())
        return ec.value();
    return 0;
}

void copy_key(uint8_t out[LTS_KEY_LEN], lt::info_hash_t const &ih)
{
    lt::sha1_hash k = key_of(ih);
    std::memcpy(out, k.data(), LTS_KEY_LEN);
}

/* Builds add_torrent_params from one of the three sources. Throws
 * system_error or returns false with a message. */
bool make_params(const lts_add *a, lt::add_torrent_params &atp, std::string &msg)
{
    lt::error_code ec;
    int sources = (a->magnet != nullptr) + (a->torrent != nullptr) + (a->resume != nullptr);
    if (sources == 0) {
        msg = "nothing to add: no magnet, .torrent or resume data";
        return false;
    }
    if (a->resume) {
        atp = lt::read_resume_data(
            {static_cast<const char *>(a->resume), static_cast<std::ptrdiff_t>(a->n_resume)}, ec);
        if (ec) {
            msg = "unreadable resume data: " + ec.message();
            return false;
        }
        if (!atp.ti && a->torrent) {
            auto ti = std::make_shared<lt::torrent_info>(
                lt::span<const char>(static_cast<const char *>(a->torrent),
                                     static_cast<std::ptrdiff_t>(a->n_torrent)),
                ec, lt::from_span);
            if (!ec) atp.ti = ti;
        }
    } else if (a->magnet) {
        lt::parse_magnet_uri(a->magnet, atp, ec);
        if (ec) {
            msg = std::string("invalid magnet URI: ") + ec.message();
            return false;
        }
        if (!atp.info_hashes.has_v1() && !atp.info_hashes.has_v2()) {
            msg = "invalid magnet URI: no info-hash (xt=urn:btih: or urn:btmh:)";
            return false;
        }
    } else {
        auto ti = std::make_shared<lt::torrent_info>(
            lt::span<const char>(static_cast<const char *>(a->torrent),
                                 static_cast<std::ptrdiff_t>(a->n_torrent)),
            ec, lt::from_span);
        if (ec) {
            msg = "invalid .torrent: " + ec.message();
            return false;
        }
        atp.ti = ti;
    }
    if (a->save_path && *a->save_path) atp.save_path = a->save_path;
    if (atp.save_path.empty()) {
        msg = "no save path";
        return false;
    }
    if (!a->resume) {
        if (a->paused) {
            atp.flags |= lt::torrent_flags::paused;
            atp.flags &= ~lt::torrent_flags::auto_managed;
        } else {
            atp.flags &= ~lt::torrent_flags::paused;
            atp.flags |= lt::torrent_flags::auto_managed;
        }
    }
    if (!a->resume) {
        if (a->seed_mode) atp.flags |= lt::torrent_flags::seed_mode;
        atp.storage_mode = a->allocate ? lt::storage_mode_allocate : lt::storage_mode_sparse;
        int base = 0;
        for (auto t : atp.tracker_tiers)
            base = std::max(base, t + 1);
        if (atp.tracker_tiers.size() < atp.trackers.size())
            atp.tracker_tiers.resize(atp.trackers.size(), 0);
        if (atp.ti)
            for (auto const &ae : atp.ti->trackers())
                base = std::max(base, int(ae.tier) + 1);
        /* a private torrent announces only to the trackers in it (BEP 27) */
        size_t n_extra = atp.ti && atp.ti->priv() ? 0 : a->n_trackers;
        for (size_t i = 0; i < n_extra; i++) {
            atp.trackers.emplace_back(a->trackers[i]);
            atp.tracker_tiers.push_back(base + (a->tracker_tiers ? a->tracker_tiers[i] : 0));
        }
    }
    for (size_t i = 0; i < a->n_peers; i++) {
        lt::address addr = lt::make_address(a->peer_addrs[i], ec);
        if (ec || a->peer_ports[i] <= 0 || a->peer_ports[i] > 65535) {
            msg = std::string("invalid peer address: ") + a->peer_addrs[i];
            return false;
        }
        atp.peers.emplace_back(addr, static_cast<std::uint16_t>(a->peer_ports[i]));
    }
    return true;
}

lt::info_hash_t hashes_of(const lt::add_torrent_params &atp)
{
    if (atp.ti) return atp.ti->info_hashes();
    return atp.info_hashes;
}

std::string name_of(const lt::add_torrent_params &atp)
{
    if (atp.ti) return atp.ti->name();
    return atp.name;
}

void fill_status(const lt::torrent_status &st, lts_status &o, std::string &err_buf)
{
    std::memset(&o, 0, sizeof o);
    copy_key(o.key, st.info_hashes);
    std::snprintf(o.info_hash, sizeof o.info_hash, "%s",
                  lt::aux::to_hex(key_of(st.info_hashes)).c_str());
    if (st.info_hashes.has_v2())
        std::snprintf(o.info_hash_v2, sizeof o.info_hash_v2, "%s",
                      lt::aux::to_hex(st.info_hashes.v2).c_str());
    o.name = st.name.c_str();
    o.save_path = st.save_path.c_str();
    if (st.errc) {
        err_buf = st.errc.message();
        if (st.error_file == lt::torrent_status::error_file_metadata)
            err_buf += " (metadata)";
        else if (st.error_file >= 0 && st.has_metadata) {
            if (auto ti = st.torrent_file.lock())
                err_buf += " (" +
                           ti->files().file_path(lt::file_index_t(st.error_file), st.save_path) +
                           ")";
        }
        o.error = err_buf.c_str();
        o.error_errno = errno_of(st.errc);
    }
    switch (st.state) {
    case lt::torrent_status::checking_files:
        o.state = LTS_ST_CHECKING_FILES;
        break;
    case lt::torrent_status::downloading_metadata:
        o.state = LTS_ST_METADATA;
        break;
    case lt::torrent_status::downloading:
        o.state = LTS_ST_DOWNLOADING;
        break;
    case lt::torrent_status::finished:
        o.state = LTS_ST_FINISHED;
        break;
    case lt::torrent_status::seeding:
        o.state = LTS_ST_SEEDING;
        break;
    case lt::torrent_status::checking_resume_data:
        o.state = LTS_ST_CHECKING_RESUME;
        break;
    default:
        o.state = LTS_ST_DOWNLOADING;
        break;
    }
    o.paused = bool(st.flags & lt::torrent_flags::paused);
    o.auto_managed = bool(st.flags & lt::torrent_flags::auto_managed);
    o.has_metadata = st.has_metadata;
    o.progress = st.progress;
    o.total = 0; /* filled from the metadata below: st.total counts only bytes still to request */
    o.total_wanted = st.total_wanted;
    o.total_wanted_done = st.total_wanted_done;
    o.down_rate = st.download_payload_rate;
    o.up_rate = st.upload_payload_rate;
    o.all_time_download = st.all_time_download;
    o.all_time_upload = st.all_time_upload;
    o.session_download = st.total_payload_download;
    o.num_peers = st.num_peers;
    o.num_seeds = st.num_seeds;
    o.pieces_done = st.num_pieces;
    if (auto ti = st.torrent_file.lock()) {
        o.num_pieces = ti->num_pieces();
        o.piece_length = ti->piece_length();
        o.total = ti->total_size();
    }
    o.queue_position = static_cast<int>(st.queue_position);
    o.added_time = static_cast<int64_t>(st.added_time);
    o.completed_time = static_cast<int64_t>(st.completed_time);
    o.seeding_time = static_cast<int64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(st.seeding_duration).count());
}

} // namespace

/* ---------------------------------------------------------------- settings */

extern "C" int lts_setting_type(const char *name)
{
    if (!name) return -EINVAL;
    return barrier(-EINVAL, [&]() -> int {
        int id = lt::setting_by_name(name);
        if (id < 0) return -EINVAL;
        switch (id & lt::settings_pack::type_mask) {
        case lt::settings_pack::string_type_base:
            return LTS_SETTING_STRING;
        case lt::settings_pack::int_type_base:
            return LTS_SETTING_INT;
        case lt::settings_pack::bool_type_base:
            return LTS_SETTING_BOOL;
        default:
            return -EINVAL;
        }
    });
}

extern "C" struct lts_pack *lts_pack_new(void)
{
    return barrier<lts_pack *>(nullptr, [&] { return new lts_pack(); });
}

extern "C" void lts_pack_free(struct lts_pack *p)
{
    delete p;
}

extern "C" void lts_pack_set_disk_io(struct lts_pack *p, enum lts_disk_io io)
{
    if (p) p->disk_io = io == LTS_DISK_IO_POSIX ? LTS_DISK_IO_POSIX : LTS_DISK_IO_MMAP;
}

extern "C" enum lts_disk_io lts_disk_io(const struct lts_session *s)
{
    return s ? s->disk_io : LTS_DISK_IO_MMAP;
}

namespace
{
/* The settings_pack id of `name` if it is a setting of type `type`, else -1. */
int setting_id(const char *name, int type)
{
    return lts_setting_type(name) == type ? lt::setting_by_name(name) : -1;
}
} // namespace

extern "C" int lts_pack_set_bool(struct lts_pack *p, const char *name, bool value)
{
    if (!p || !name) return -EINVAL;
    return barrier(-EIO, [&] {
        int id = setting_id(name, LTS_SETTING_BOOL);
        if (id < 0) return -EINVAL;
        p->pack.set_bool(id, value);
        return 0;
    });
}

extern "C" int lts_pack_set_int(struct lts_pack *p, const char *name, int value)
{
    if (!p || !name) return -EINVAL;
    return barrier(-EIO, [&] {
        int id = setting_id(name, LTS_SETTING_INT);
        if (id < 0) return -EINVAL;
        p->pack.set_int(id, value);
        return 0;
    });
}

extern "C" int lts_pack_set_str(struct lts_pack *p, const char *name, const char *value)
{
    if (!p || !name || !value) return -EINVAL;
    return barrier(-EIO, [&] {
        int id = setting_id(name, LTS_SETTING_STRING);
        if (id < 0) return -EINVAL;
        p->pack.set_str(id, value);
        return 0;
    });
}

/* ----------------------------------------------------------------- session */

extern "C" int lts_session_new(const struct lts_pack *pack, void (*notify)(void *), void *ud,
                               struct lts_session **out, char *err, size_t errlen)
{
    if (!pack || !out) return -EINVAL;
    return barrier(
        -EIO,
        [&] {
            lt::session_params params(pack->pack);
            params.disk_io_constructor =
                pack->disk_io == LTS_DISK_IO_POSIX
                    ? lt::disk_io_constructor_type(lt::posix_disk_io_constructor)
                    : lt::disk_io_constructor_type(lt::mmap_disk_io_constructor);
            /* the categories lts_drain() translates; anything the pack adds is kept */
            params.settings.set_int(
                lt::settings_pack::alert_mask,
                params.settings.get_int(lt::settings_pack::alert_mask) |
                    static_cast<int>(lt::alert_category::error | lt::alert_category::status |
                                     lt::alert_category::storage |
                                     lt::alert_category::piece_progress |
                                     lt::alert_category::ip_block | lt::alert_category::tracker |
                                     lt::alert_category::peer));

            auto *s = new lts_session(std::move(params), pack->disk_io);
            *out = s;
            lts_set_notify(s, notify, ud);
            return 0;
        },
        err, errlen, "cannot start libtorrent session: ");
}

extern "C" void lts_set_resume_url_map(struct lts_session *s, lts_url_map map)
{
    if (s) s->resume_url = map;
}

extern "C" void lts_set_notify(struct lts_session *s, void (*notify)(void *), void *ud)
{
    if (!s) return;
    barrier(0, [&] {
        if (notify)
            s->ses.set_alert_notify([notify, ud] { notify(ud); });
        else
            s->ses.set_alert_notify([] {});
        return 0;
    });
}

extern "C" void lts_session_free(struct lts_session *s)
{
    if (!s) return;
    barrier(0, [&] {
        s->ses.set_alert_notify([] {});
        return 0;
    });
    barrier(0, [&] {
        delete s;
        return 0;
    });
}

extern "C" int lts_apply(struct lts_session *s, const struct lts_pack *pack, char *err,
                         size_t errlen)
{
    if (!s || !pack) return -EINVAL;
    return barrier(
        -EIO,
        [&] {
            s->ses.apply_settings(pack->pack);
            return 0;
        },
        err, errlen);
}

namespace
{
int format_setting(lt::settings_pack const &sp, const char *name, char *buf, size_t buflen)
{
    int type = lts_setting_type(name);
    if (type < 0) return -EINVAL;
    int id = lt::setting_by_name(name);
    if (type == LTS_SETTING_BOOL)
        std::snprintf(buf, buflen, "%s", sp.get_bool(id) ? "true" : "false");
    else if (type == LTS_SETTING_INT)
        std::snprintf(buf, buflen, "%d", sp.get_int(id));
    else
        std::snprintf(buf, buflen, "%s", sp.get_str(id).c_str());
    return 0;
}
} // namespace

extern "C" int lts_default_setting(const char *name, char *buf, size_t buflen)
{
    if (!name || !buf || buflen == 0) return -EINVAL;
    return barrier(-EIO, [&] { return format_setting(lt::default_settings(), name, buf, buflen); });
}

extern "C" int lts_get_setting(struct lts_session *s, const char *name, char *buf, size_t buflen)
{
    if (!s || !name || !buf || buflen == 0) return -EINVAL;
    return barrier(-EIO, [&] { return format_setting(s->ses.get_settings(), name, buf, buflen); });
}

extern "C" int lts_listen_port(struct lts_session *s)
{
    if (!s) return 0;
    return barrier(0, [&] { return s->ses.is_listening() ? s->ses.listen_port() : 0; });
}

extern "C" void lts_post_updates(struct lts_session *s)
{
    if (!s) return;
    barrier(0, [&] {
        s->ses.post_torrent_updates(lt::torrent_handle::query_name |
                                    lt::torrent_handle::query_save_path |
                                    lt::torrent_handle::query_torrent_file);
        return 0;
    });
}

extern "C" int lts_wait(struct lts_session *s, int ms)
{
    if (!s) return 0;
    return barrier(0,
                   [&] { return s->ses.wait_for_alert(std::chrono::milliseconds(ms)) != nullptr; });
}

/* ------------------------------------------------------------------ adding */

extern "C" int lts_parse(const struct lts_add *a, uint8_t key[LTS_KEY_LEN], char *name,
                         size_t namelen, char *err, size_t errlen)
{
    if (!a) return -EINVAL;
    return barrier(
        -EINVAL,
        [&] {
            lt::add_torrent_params atp;
            std::string msg;
            lts_add copy = *a;
            if (!copy.save_path) copy.save_path = ".";
            if (!make_params(&copy, atp, msg)) {
                set_err(err, errlen, msg);
                return -EINVAL;
            }
            if (key) copy_key(key, hashes_of(atp));
            if (name && namelen) std::snprintf(name, namelen, "%s", name_of(atp).c_str());
            return 0;
        },
        err, errlen);
}

extern "C" int lts_add_torrent(struct lts_session *s, const struct lts_add *a,
                               struct lts_torrent **out, uint8_t key[LTS_KEY_LEN], char *err,
                               size_t errlen)
{
    if (!s || !a || !out) return -EINVAL;
    return barrier(
        -EINVAL,
        [&] {
            lt::add_torrent_params atp;
            std::string msg;
            if (!make_params(a, atp, msg)) {
                set_err(err, errlen, msg);
                return -EINVAL;
            }
            lt::info_hash_t ih = hashes_of(atp);
            if (s->ses.find_torrent(key_of(ih)).is_valid()) {
                set_err(err, errlen, "torrent already added");
                if (key) copy_key(key, ih);
                return -EEXIST;
            }
            lt::error_code ec;
            lt::torrent_handle h = s->ses.add_torrent(std::move(atp), ec);
            if (ec) {
                set_err(err, errlen, "cannot add torrent: " + ec.message());
                return ec == lt::errors::duplicate_torrent ? -EEXIST : -EINVAL;
            }
            if (key) copy_key(key, h.info_hashes());
            *out = new lts_torrent{h};
            return 0;
        },
        err, errlen, "cannot add torrent: ");
}

extern "C" void lts_torrent_free(struct lts_torrent *t)
{
    delete t;
}

/* ---------------------------------------------------------------- commands */

extern "C" int lts_pause(struct lts_torrent *t)
{
    return on_handle(t, [&] {
        t->h.unset_flags(lt::torrent_flags::auto_managed);
        t->h.pause(lt::torrent_handle::graceful_pause);
    });
}

extern "C" int lts_resume(struct lts_torrent *t)
{
    return on_handle(t, [&] {
        t->h.set_flags(lt::torrent_flags::auto_managed);
        t->h.resume();
    });
}

extern "C" int lts_clear_error(struct lts_torrent *t)
{
    return on_handle(t, [&] { t->h.clear_error(); });
}

extern "C" int lts_force_recheck(struct lts_torrent *t)
{
    return on_handle(t, [&] { t->h.force_recheck(); });
}

extern "C" int lts_force_reannounce(struct lts_torrent *t)
{
    return on_handle(
        t, [&] { t->h.force_reannounce(0, -1, lt::torrent_handle::ignore_min_interval); });
}

extern "C" int lts_connect_peer(struct lts_torrent *t, const char *ip, int port)
{
    if (!t || !ip || port <= 0 || port > 65535) return -EINVAL;
    return barrier(-EIO, [&] {
        lt::error_code ec;
        lt::address addr = lt::make_address(ip, ec);
        if (ec) return -EINVAL;
        t->h.connect_peer(lt::tcp::endpoint(addr, static_cast<std::uint16_t>(port)));
        return 0;
    });
}

extern "C" int lts_save_resume(struct lts_torrent *t)
{
    return on_handle(t, [&] { t->h.save_resume_data(lt::torrent_handle::save_info_dict); });
}

extern "C" bool lts_need_save_resume(struct lts_torrent *t)
{
    if (!t) return false;
    return barrier(false, [&] { return t->h.need_save_resume_data(); });
}

extern "C" int lts_remove(struct lts_session *s, struct lts_torrent *t, bool delete_data)
{
    if (!s || !t) return -EINVAL;
    return barrier(-EIO, [&] {
        s->ses.remove_torrent(t->h, delete_data ? lt::session_handle::delete_files
                                                : lt::remove_flags_t{});
        return 0;
    });
}

/* ------------------------------------------------------- metadata, pieces */

extern "C" int lts_files(struct lts_torrent *t, struct lts_meta *m,
                         void (*cb)(void *ud, const struct lts_file *f), void *ud)
{
    if (!t || !m) return -EINVAL;
    return barrier(-EIO, [&] {
        std::shared_ptr<const lt::torrent_info> ti = t->h.torrent_file();
        if (!ti || !ti->is_valid()) return -EAGAIN;
        lt::file_storage const &fs = ti->files();
        std::string save = t->h.status(lt::torrent_handle::query_save_path).save_path;
        m->piece_length = fs.piece_length();
        m->num_pieces = fs.num_pieces();
        m->num_files = fs.num_files();
        m->total_size = fs.total_size();
        /* a single-file torrent's only path has no directory part */
        m->multi_file =
            fs.num_files() > 1 || fs.file_path(lt::file_index_t{0}).find('/') != std::string::npos;
        if (!cb) return 0;
        for (lt::file_index_t i : fs.file_range()) {
            std::string path = fs.file_path(i);
            std::string disk = fs.file_path(i, save);
            lts_file f{};
            f.index = static_cast<int>(i);
            f.path = path.c_str();
            f.disk_path = disk.c_str();
            f.size = fs.file_size(i);
            f.offset = fs.file_offset(i);
            f.pad = bool(fs.file_flags(i) & lt::file_storage::flag_pad_file);
            cb(ud, &f);
        }
        return 0;
    });
}

extern "C" int lts_have_pieces(struct lts_torrent *t, uint8_t *have, int n)
{
    if (!t || !have || n < 0) return -EINVAL;
    return barrier(-EIO, [&] {
        lt::torrent_status st = t->h.status(lt::torrent_handle::query_pieces);
        if (!st.has_metadata) return -EAGAIN;
        int const np = st.pieces.size();
        for (int i = 0; i < n; i++)
            have[i] = (i < np && st.pieces.get_bit(lt::piece_index_t{i})) ? 1 : 0;
        return 0;
    });
}

extern "C" int lts_writing_pieces(struct lts_torrent *t, int *out, size_t max)
{
    if (!t || (max && !out)) return -EINVAL;
    return barrier(-EIO, [&] {
        std::vector<lt::partial_piece_info> q = t->h.get_download_queue();
        size_t n = 0;
        for (auto const &pp : q) {
            bool writing = false;
            for (int b = 0; b < pp.blocks_in_piece && !writing; b++)
                writing = pp.blocks[b].state == lt::block_info::writing;
            if (!writing) continue;
            if (n < max) out[n] = static_cast<int>(pp.piece_index);
            n++;
        }
        return static_cast<int>(n);
    });
}

extern "C" int lts_set_piece_deadline(struct lts_torrent *t, int piece, int ms)
{
    if (piece < 0 || ms < 0) return -EINVAL;
    return on_handle(t, [&] { t->h.set_piece_deadline(lt::piece_index_t{piece}, ms); });
}

extern "C" int lts_reset_piece_deadline(struct lts_torrent *t, int piece)
{
    if (piece < 0) return -EINVAL;
    return on_handle(t, [&] { t->h.reset_piece_deadline(lt::piece_index_t{piece}); });
}

namespace
{
/* The index checks and the exception barrier of the file and piece
 * priority calls: fn runs when the torrent has metadata and
 * 0 <= index < count(torrent_info). */
template <class Count, class Fn> int with_index(lts_torrent *t, int index, Count count, Fn fn)
{
    if (!t || index < 0) return -EINVAL;
    return barrier(-EIO, [&] {
        std::shared_ptr<const lt::torrent_info> ti = t->h.torrent_file();
        if (!ti || index >= count(*ti)) return -EINVAL;
        return fn();
    });
}

int n_files(lt::torrent_info const &ti)
{
    return ti.num_files();
}

int n_pieces(lt::torrent_info const &ti)
{
    return ti.num_pieces();
}

int prio_int(lt::download_priority_t p)
{
    return static_cast<int>(static_cast<std::uint8_t>(p));
}

lt::download_priority_t prio_of(int p)
{
    return lt::download_priority_t{static_cast<std::uint8_t>(p)};
}
} // namespace

extern "C" int lts_file_priority(struct lts_torrent *t, int index)
{
    return with_index(t, index, n_files,
                      [&] { return prio_int(t->h.file_priority(lt::file_index_t{index})); });
}

extern "C" int lts_set_file_priority(struct lts_torrent *t, int index, int prio)
{
    if (prio < 0 || prio > 7) return -EINVAL;
    return with_index(t, index, n_files, [&] {
        t->h.file_priority(lt::file_index_t{index}, prio_of(prio));
        return 0;
    });
}

/* ------------------------------------------------------------------ alerts */

extern "C" int lts_drain(struct lts_session *s, void (*cb)(void *, const struct lts_event *),
                         void *ud)
{
    if (!s || !cb) return 0;
    std::vector<lt::alert *> alerts;
    bool popped = barrier(false, [&] {
        s->ses.pop_alerts(&alerts);
        return true;
    });
    if (!popped) return 0;
    for (lt::alert *a : alerts) {
        /* a malformed alert must not take the loop down: skipped */
        barrier(0, [&] {
            lts_event ev{};
            std::string msg = a->message();
            std::string name;
            ev.message = msg.c_str();
            /* alert_cast matches exact alert types only: a base class needs
             * dynamic_cast */
            if (auto *ta = dynamic_cast<lt::torrent_alert *>(a)) {
                ev.has_key = true;
                copy_key(ev.key, ta->handle.info_hashes());
                name = ta->torrent_name();
                ev.name = name.c_str();
            }
            if (auto *su = lt::alert_cast<lt::state_update_alert>(a)) {
                std::vector<lts_status> st(su->status.size());
                std::vector<std::string> errs(su->status.size());
                for (size_t i = 0; i < su->status.size(); i++)
                    fill_status(su->status[i], st[i], errs[i]);
                ev.type = LTS_EV_STATUS;
                ev.status = st.data();
                ev.n_status = st.size();
                cb(ud, &ev);
            } else if (lt::alert_cast<lt::metadata_received_alert>(a)) {
                ev.type = LTS_EV_METADATA;
                cb(ud, &ev);
            } else if (lt::alert_cast<lt::torrent_finished_alert>(a)) {
                ev.type = LTS_EV_FINISHED;
                cb(ud, &ev);
            } else if (auto *rd = lt::alert_cast<lt::save_resume_data_alert>(a)) {
                lt::add_torrent_params params = rd->params;
                if (s->resume_url)
                    for (std::string &url : params.trackers) {
                        std::vector<char> out(url.size() + 1);
                        s->resume_url(url.c_str(), out.data(), out.size());
                        url = out.data();
                    }
                std::vector<char> buf = lt::write_resume_data_buf(params);
                copy_key(ev.key,
                         rd->params.ti ? rd->params.ti->info_hashes() : rd->params.info_hashes);
                ev.type = LTS_EV_RESUME_DATA;
                ev.data = buf.data();
                ev.n_data = buf.size();
                cb(ud, &ev);
            } else if (lt::alert_cast<lt::save_resume_data_failed_alert>(a)) {
                ev.type = LTS_EV_RESUME_FAILED;
                cb(ud, &ev);
            } else if (auto *rm = lt::alert_cast<lt::torrent_removed_alert>(a)) {
                ev.has_key = true;
                copy_key(ev.key, rm->info_hashes);
                ev.type = LTS_EV_REMOVED;
                cb(ud, &ev);
            } else if (auto *te = lt::alert_cast<lt::torrent_error_alert>(a)) {
                std::string text = te->error.message();
                ev.type = LTS_EV_TORRENT_ERROR;
                ev.error_errno = errno_of(te->error);
                ev.error_text = text.c_str();
                ev.error_path = te->filename();
                cb(ud, &ev);
            } else if (auto *fe = lt::alert_cast<lt::file_error_alert>(a)) {
                std::string text = fe->error.message();
                ev.type = LTS_EV_TORRENT_ERROR;
                ev.error_errno = errno_of(fe->error);
                ev.error_text = text.c_str();
                ev.error_path = fe->filename();
                cb(ud, &ev);
            } else if (auto *ls = lt::alert_cast<lt::listen_succeeded_alert>(a)) {
                ev.type = LTS_EV_LISTEN_OK;
                ev.port = ls->port;
                cb(ud, &ev);
            } else if (lt::alert_cast<lt::listen_failed_alert>(a)) {
                ev.type = LTS_EV_LISTEN_FAILED;
                cb(ud, &ev);
            } else if (lt::alert_cast<lt::torrent_paused_alert>(a)) {
                ev.type = LTS_EV_PAUSED;
                cb(ud, &ev);
            } else if (auto *pf = lt::alert_cast<lt::piece_finished_alert>(a)) {
                ev.type = LTS_EV_PIECE;
                ev.piece = static_cast<int>(pf->piece_index);
                cb(ud, &ev);
            } else if (lt::alert_cast<lt::torrent_checked_alert>(a)) {
                ev.type = LTS_EV_CHECKED;
                cb(ud, &ev);
            } else if (lt::alert_cast<lt::file_prio_alert>(a)) {
                ev.type = LTS_EV_FILE_PRIO;
                cb(ud, &ev);
            } else if (auto *sm = lt::alert_cast<lt::storage_moved_alert>(a)) {
                ev.type = LTS_EV_STORAGE_MOVED;
                msg = sm->storage_path();
                ev.message = msg.c_str();
                cb(ud, &ev);
            } else if (lt::alert_cast<lt::storage_moved_failed_alert>(a)) {
                ev.type = LTS_EV_STORAGE_MOVE_FAILED;
                cb(ud, &ev);
            } else if (lt::alert_cast<lt::peer_blocked_alert>(a)) {
                ev.type = LTS_EV_PEER_BLOCKED;
                cb(ud, &ev);
            } else if (auto *ss = lt::alert_cast<lt::session_stats_alert>(a)) {
                lt::span<std::int64_t const> c = ss->counters();
                ev.type = LTS_EV_SESSION_STATS;
                ev.counters = c.data();
                ev.n_counters = static_cast<size_t>(c.size());
                cb(ud, &ev);
            } else if (lt::alert_cast<lt::tracker_warning_alert>(a) ||
                       lt::alert_cast<lt::peer_ban_alert>(a)) {
                ev.type = LTS_EV_WARNING;
                cb(ud, &ev);
            } else if (lt::alert_cast<lt::alerts_dropped_alert>(a)) {
                ev.type = LTS_EV_DROPPED;
                cb(ud, &ev);
            } else if (a->category() & lt::alert_category::error) {
                ev.type = LTS_EV_LOG;
                cb(ud, &ev);
            }
            return 0;
        });
    }
    return static_cast<int>(alerts.size());
}

/* ------------------------------------------------- IP filter, capabilities */

extern "C" int lts_set_ip_filter(struct lts_session *s, const struct lts_ip_range *r, size_t n)
{
    if (!s || (n && !r)) return -EINVAL;
    return barrier(-EIO, [&] {
        lt::ip_filter f;
        for (size_t i = 0; i < n; i++) {
            if (r[i].v6) {
                lt::address_v6::bytes_type a, b;
                std::memcpy(a.data(), r[i].first, 16);
                std::memcpy(b.data(), r[i].last, 16);
                f.add_rule(lt::address_v6(a), lt::address_v6(b), lt::ip_filter::blocked);
            } else {
                lt::address_v4::bytes_type a, b;
                std::memcpy(a.data(), r[i].first, 4);
                std::memcpy(b.data(), r[i].last, 4);
                f.add_rule(lt::address_v4(a), lt::address_v4(b), lt::ip_filter::blocked);
            }
        }
        s->ses.set_ip_filter(std::move(f));
        return 0;
    });
}

extern "C" long lts_ip_filter_blocked(struct lts_session *s)
{
    if (!s) return -EINVAL;
    return barrier(-long(EIO), [&] {
        auto v = s->ses.get_ip_filter().export_filter();
        long n = 0;
        for (auto const &r : std::get<0>(v))
            n += (r.flags & lt::ip_filter::blocked) != 0;
        for (auto const &r : std::get<1>(v))
            n += (r.flags & lt::ip_filter::blocked) != 0;
        return n;
    });
}

extern "C" bool lts_has_i2p(void)
{
    return TORRENT_USE_I2P != 0;
}

/* ------------------------------------------------------- per-torrent knobs */

namespace
{
const struct {
    unsigned bit;
    lt::torrent_flags_t flag;
} tflags[] = {
    {LTS_TF_SEQUENTIAL, lt::torrent_flags::sequential_download},
    {LTS_TF_SUPER_SEEDING, lt::torrent_flags::super_seeding},
    {LTS_TF_DISABLE_PEX, lt::torrent_flags::disable_pex},
    {LTS_TF_AUTO_MANAGED, lt::torrent_flags::auto_managed},
    {LTS_TF_UPLOAD_MODE, lt::torrent_flags::upload_mode},
};
} // namespace

extern "C" int lts_torrent_flags(struct lts_torrent *t, unsigned *out)
{
    if (!t || !out) return -EINVAL;
    return barrier(-EIO, [&] {
        lt::torrent_flags_t f = t->h.flags();
        unsigned o = 0;
        for (auto const &m : tflags)
            if (f & m.flag) o |= m.bit;
        *out = o;
        return 0;
    });
}

extern "C" int lts_set_torrent_flags(struct lts_torrent *t, unsigned flags, unsigned mask)
{
    if (!t) return -EINVAL;
    return barrier(-EIO, [&] {
        lt::torrent_flags_t set{}, m{};
        for (auto const &x : tflags) {
            if (!(mask & x.bit)) continue;
            m |= x.flag;
            if (flags & x.bit) set |= x.flag;
        }
        t->h.set_flags(set, m);
        return 0;
    });
}

extern "C" int lts_torrent_limit(struct lts_torrent *t, enum lts_limit which, int *out)
{
    if (!t || !out) return -EINVAL;
    return barrier(-EIO, [&] {
        int v;
        switch (which) {
        case LTS_DOWNLOAD_LIMIT:
            v = t->h.download_limit();
            break;
        case LTS_UPLOAD_LIMIT:
            v = t->h.upload_limit();
            break;
        case LTS_MAX_CONNECTIONS:
            v = t->h.max_connections();
            break;
        case LTS_MAX_UPLOADS:
            v = t->h.max_uploads();
            break;
        default:
            return -EINVAL;
        }
        /* libtorrent reports "unlimited" as -1 or as (1 << 24) - 1 */
        *out = v < 0 || v == (1 << 24) - 1 ? 0 : v;
        return 0;
    });
}

extern "C" int lts_set_torrent_limit(struct lts_torrent *t, enum lts_limit which, int value)
{
    if (!t || value < 0) return -EINVAL;
    return barrier(-EIO, [&] {
        int v =
            value == 0 && (which == LTS_MAX_CONNECTIONS || which == LTS_MAX_UPLOADS) ? -1 : value;
        switch (which) {
        case LTS_DOWNLOAD_LIMIT:
            t->h.set_download_limit(v);
            break;
        case LTS_UPLOAD_LIMIT:
            t->h.set_upload_limit(v);
            break;
        case LTS_MAX_CONNECTIONS:
            t->h.set_max_connections(v);
            break;
        case LTS_MAX_UPLOADS:
            t->h.set_max_uploads(v);
            break;
        default:
            return -EINVAL;
        }
        return 0;
    });
}

extern "C" int lts_queue_position(struct lts_torrent *t, int *out)
{
    if (!t || !out) return -EINVAL;
    return barrier(-EIO, [&] {
        *out = static_cast<int>(t->h.queue_position());
        return 0;
    });
}

extern "C" int lts_queue_move(struct lts_torrent *t, enum lts_queue_move how)
{
    switch (how) {
    case LTS_QUEUE_TOP:
        return on_handle(t, [&] { t->h.queue_position_top(); });
    case LTS_QUEUE_UP:
        return on_handle(t, [&] { t->h.queue_position_up(); });
    case LTS_QUEUE_DOWN:
        return on_handle(t, [&] { t->h.queue_position_down(); });
    case LTS_QUEUE_BOTTOM:
        return on_handle(t, [&] { t->h.queue_position_bottom(); });
    }
    return -EINVAL;
}

extern "C" int lts_set_queue_position(struct lts_torrent *t, int pos)
{
    if (pos < 0) return -EINVAL;
    return on_handle(t, [&] { t->h.queue_position_set(lt::queue_position_t{pos}); });
}

extern "C" int lts_move_storage(struct lts_torrent *t, const char *path)
{
    if (!path || !*path) return -EINVAL;
    return on_handle(t, [&] { t->h.move_storage(path); });
}

extern "C" int lts_save_path(struct lts_torrent *t, char *buf, size_t buflen)
{
    if (!t || !buf || !buflen) return -EINVAL;
    return barrier(-EIO, [&] {
        std::string p = t->h.status(lt::torrent_handle::query_save_path).save_path;
        if (p.size() >= buflen) return -ERANGE;
        std::memcpy(buf, p.c_str(), p.size() + 1);
        return 0;
    });
}

extern "C" int lts_storage_allocated(struct lts_torrent *t, bool *out)
{
    if (!t || !out) return -EINVAL;
    return barrier(-EIO, [&] {
        *out = t->h.status(lt::status_flags_t{}).storage_mode == lt::storage_mode_allocate;
        return 0;
    });
}

extern "C" int lts_trackers(struct lts_torrent *t, struct lts_tracker **out, size_t *n)
{
    if (!t || !out || !n) return -EINVAL;
    *out = nullptr;
    *n = 0;
    return barrier(-EIO, [&] {
        std::vector<lt::announce_entry> v = t->h.trackers();
        if (v.empty()) return 0;
        auto *o = static_cast<lts_tracker *>(calloc(v.size(), sizeof(lts_tracker)));
        if (!o) return -ENOMEM;
        auto now = lt::clock_type::now();
        for (size_t i = 0; i < v.size(); i++) {
            lt::announce_entry const &ae = v[i];
            o[i].url = strdup(ae.url.c_str());
            o[i].tier = ae.tier;
            o[i].verified = ae.verified;
            o[i].enabled = true;
            o[i].scrape_complete = o[i].scrape_incomplete = o[i].scrape_downloaded = -1;
            o[i].next_announce_s = -1;
            std::string msg;
            for (auto const &ep : ae.endpoints) {
                o[i].enabled = o[i].enabled && ep.enabled;
                for (auto const &ih : ep.info_hashes) {
                    o[i].updating = o[i].updating || ih.updating;
                    o[i].fails = std::max(o[i].fails, int(ih.fails));
                    if (ih.start_sent && !ih.last_error) o[i].working = true;
                    if (ih.last_error)
                        msg = ih.message.empty()
                                  ? ih.last_error.message()
                                  : ih.message + " (" + ih.last_error.message() + ")";
                    else if (!ih.message.empty() && msg.empty())
                        msg = ih.message;
                    o[i].scrape_complete = std::max(o[i].scrape_complete, ih.scrape_complete);
                    o[i].scrape_incomplete = std::max(o[i].scrape_incomplete, ih.scrape_incomplete);
                    o[i].scrape_downloaded = std::max(o[i].scrape_downloaded, ih.scrape_downloaded);
                    if (ih.next_announce > now) {
                        int64_t s =
                            std::chrono::duration_cast<std::chrono::seconds>(ih.next_announce - now)
                                .count();
                        if (o[i].next_announce_s < 0 || s < o[i].next_announce_s)
                            o[i].next_announce_s = s;
                    }
                }
            }
            o[i].message = strdup(msg.c_str());
            if (!o[i].url || !o[i].message) {
                lts_trackers_free(o, i + 1);
                return -ENOMEM;
            }
        }
        *out = o;
        *n = v.size();
        return 0;
    });
}

extern "C" void lts_trackers_free(struct lts_tracker *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].url);
        free(v[i].message);
    }
    free(v);
}

extern "C" int lts_replace_trackers(struct lts_torrent *t, const char *const *urls,
                                    const int *tiers, size_t n)
{
    if (!t || (n && (!urls || !tiers))) return -EINVAL;
    return barrier(-EIO, [&] {
        std::vector<lt::announce_entry> v;
        for (size_t i = 0; i < n; i++) {
            lt::announce_entry ae(urls[i]);
            ae.tier = static_cast<std::uint8_t>(tiers[i] < 0 ? 0 : tiers[i] > 255 ? 255 : tiers[i]);
            v.push_back(std::move(ae));
        }
        t->h.replace_trackers(v);
        return 0;
    });
}

extern "C" int lts_url_seeds(struct lts_torrent *t, char ***out, size_t *n)
{
    if (!t || !out || !n) return -EINVAL;
    *out = nullptr;
    *n = 0;
    return barrier(-EIO, [&] {
        std::set<std::string> v = t->h.url_seeds();
        if (v.empty()) return 0;
        char **o = static_cast<char **>(calloc(v.size(), sizeof(char *)));
        if (!o) return -ENOMEM;
        size_t i = 0;
        for (auto const &u : v) {
            if (!(o[i] = strdup(u.c_str()))) {
                lts_strings_free(o, i);
                return -ENOMEM;
            }
            i++;
        }
        *out = o;
        *n = i;
        return 0;
    });
}

extern "C" void lts_strings_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

extern "C" int lts_add_url_seed(struct lts_torrent *t, const char *url)
{
    if (!url) return -EINVAL;
    return on_handle(t, [&] { t->h.add_url_seed(url); });
}

extern "C" int lts_remove_url_seed(struct lts_torrent *t, const char *url)
{
    if (!url) return -EINVAL;
    return on_handle(t, [&] { t->h.remove_url_seed(url); });
}

extern "C" int lts_piece_priority(struct lts_torrent *t, int piece)
{
    return with_index(t, piece, n_pieces,
                      [&] { return prio_int(t->h.piece_priority(lt::piece_index_t{piece})); });
}

extern "C" int lts_set_piece_priority(struct lts_torrent *t, int piece, int prio)
{
    if (prio < 0 || prio > 7) return -EINVAL;
    return with_index(t, piece, n_pieces, [&] {
        t->h.piece_priority(lt::piece_index_t{piece}, prio_of(prio));
        return 0;
    });
}

/* ------------------------------------------------- peers, files, metadata */

extern "C" int lts_peers(struct lts_torrent *t, struct lts_peer **out, size_t *n)
{
    if (!t || !out || !n) return -EINVAL;
    *out = nullptr;
    *n = 0;
    return barrier(-EIO, [&] {
        std::vector<lt::peer_info> v;
        t->h.get_peer_info(v);
        if (v.empty()) return 0;
        auto *o = static_cast<lts_peer *>(calloc(v.size(), sizeof(lts_peer)));
        if (!o) return -ENOMEM;
        static const struct {
            lt::peer_flags_t f;
            unsigned bit;
        } fl[] = {
            {lt::peer_info::interesting, LTS_PF_INTERESTING},
            {lt::peer_info::choked, LTS_PF_CHOKED},
            {lt::peer_info::remote_interested, LTS_PF_REMOTE_INTERESTED},
            {lt::peer_info::remote_choked, LTS_PF_REMOTE_CHOKED},
            {lt::peer_info::optimistic_unchoke, LTS_PF_OPTIMISTIC},
            {lt::peer_info::snubbed, LTS_PF_SNUBBED},
            {lt::peer_info::seed, LTS_PF_SEED},
            {lt::peer_info::local_connection, 0},
            {lt::peer_info::rc4_encrypted, LTS_PF_ENCRYPTED},
            {lt::peer_info::plaintext_encrypted, LTS_PF_ENCRYPTED},
            {lt::peer_info::utp_socket, LTS_PF_UTP},
            {lt::peer_info::ssl_socket, LTS_PF_SSL},
            {lt::peer_info::i2p_socket, LTS_PF_I2P},
        };
        static const struct {
            lt::peer_source_flags_t f;
            unsigned bit;
        } src[] = {
            {lt::peer_info::tracker, LTS_PF_FROM_TRACKER},
            {lt::peer_info::dht, LTS_PF_FROM_DHT},
            {lt::peer_info::pex, LTS_PF_FROM_PEX},
            {lt::peer_info::lsd, LTS_PF_FROM_LSD},
            {lt::peer_info::resume_data, LTS_PF_FROM_RESUME},
        };
        for (size_t i = 0; i < v.size(); i++) {
            lt::peer_info const &p = v[i];
            lt::address a = p.ip.address();
            std::snprintf(o[i].addr, sizeof o[i].addr, a.is_v6() ? "[%s]:%u" : "%s:%u",
                          a.to_string().c_str(), unsigned(p.ip.port()));
            std::snprintf(o[i].client, sizeof o[i].client, "%s", p.client.c_str());
            for (auto const &x : fl)
                if (p.flags & x.f) o[i].flags |= x.bit;
            /* local_connection: we made it; otherwise it came in */
            if (!(p.flags & lt::peer_info::local_connection)) o[i].flags |= LTS_PF_INCOMING;
            for (auto const &x : src)
                if (p.source & x.f) o[i].flags |= x.bit;
            o[i].progress = p.progress;
            o[i].down_rate = p.payload_down_speed;
            o[i].up_rate = p.payload_up_speed;
            o[i].total_download = p.total_download;
            o[i].total_upload = p.total_upload;
        }
        *out = o;
        *n = v.size();
        return 0;
    });
}

extern "C" int lts_file_progress(struct lts_torrent *t, int64_t *out, size_t n)
{
    if (!t || (n && !out)) return -EINVAL;
    return barrier(-EIO, [&] {
        std::vector<std::int64_t> v = t->h.file_progress(lt::torrent_handle::piece_granularity);
        for (size_t i = 0; i < n; i++)
            out[i] = i < v.size() ? v[i] : 0;
        return 0;
    });
}

extern "C" int lts_info_extra(struct lts_torrent *t, struct lts_info_extra *out)
{
    if (!t || !out) return -EINVAL;
    std::memset(out, 0, sizeof *out);
    return barrier(-EIO, [&] {
        std::shared_ptr<const lt::torrent_info> ti = t->h.torrent_file();
        if (!ti) return -ENOENT;
        std::snprintf(out->comment, sizeof out->comment, "%s", ti->comment().c_str());
        std::snprintf(out->creator, sizeof out->creator, "%s", ti->creator().c_str());
        out->creation_date = static_cast<int64_t>(ti->creation_date());
        out->is_private = ti->priv();
        lt::span<const char> info = ti->info_section();
        lt::error_code ec;
        lt::bdecode_node d = lt::bdecode(info, ec);
        if (!ec && d.type() == lt::bdecode_node::dict_t) {
            lt::string_view src = d.dict_find_string_value("source");
            std::snprintf(out->source, sizeof out->source, "%.*s", int(src.size()), src.data());
        }
        return 0;
    });
}

extern "C" int lts_downloading_pieces(struct lts_torrent *t, int *out, size_t max)
{
    if (!t || (max && !out)) return -EINVAL;
    return barrier(-EIO, [&] {
        std::vector<lt::partial_piece_info> q = t->h.get_download_queue();
        size_t n = 0;
        for (auto const &p : q)
            if (n < max) out[n++] = static_cast<int>(p.piece_index);
        return static_cast<int>(n);
    });
}

extern "C" int lts_metric_index(const char *name)
{
    if (!name) return -1;
    return barrier(-1, [&] { return lt::find_metric_idx(name); });
}

extern "C" void lts_post_session_stats(struct lts_session *s)
{
    if (!s) return;
    barrier(0, [&] {
        s->ses.post_session_stats();
        return 0;
    });
}

extern "C" int lts_file_priorities(struct lts_torrent *t, int *out, size_t n)
{
    if (!t || (n && !out)) return -EINVAL;
    return barrier(-EIO, [&] {
        std::shared_ptr<const lt::torrent_info> ti = t->h.torrent_file();
        if (!ti) return -EINVAL;
        lt::file_storage const &fs = ti->files();
        std::vector<lt::download_priority_t> v = t->h.get_file_priorities();
        for (size_t i = 0; i < n; i++) {
            if (i >= size_t(fs.num_files())) {
                out[i] = -1;
                continue;
            }
            /* as file_priority() answers: pad files are never downloaded */
            lt::file_index_t f{int(i)};
            out[i] = fs.pad_file_at(f) ? 0
                     : i < v.size()    ? int(static_cast<std::uint8_t>(v[i]))
                                       : 4;
        }
        return 0;
    });
}
