package chat.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the node costs, read from outside: resident memory and CPU time from /proc/PID, heap from
 * `jcmd PID GC.heap_info` (after a `GC.run`, so the number is live data, not garbage). Absent
 * values (no such process, no jcmd) are empty, never an error: a benchmark without them still runs.
 */
public final class ServerProbe {

    /** Clock ticks per second of /proc/PID/stat times: 100 on every Linux this runs on (USER_HZ). */
    private static final long TICKS_PER_SECOND = 100;
    private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

    private final long pid;

    public ServerProbe(long pid) {
        this.pid = pid;
    }

    /** Null when no --server-pid was given. */
    public static ServerProbe of(Args args) {
        String pid = args.string("server-pid", null);
        return pid == null ? null : new ServerProbe(Args.parseInt("--server-pid", pid, 1, Integer.MAX_VALUE));
    }

    public long pid() {
        return pid;
    }

    /** Resident set size in bytes (VmRSS). */
    public OptionalLong rss() {
        return statusField("VmRSS");
    }

    /** Peak resident set size since the process started, in bytes (VmHWM). */
    public OptionalLong peakRss() {
        return statusField("VmHWM");
    }

    /** User plus system CPU time the process has used, in nanoseconds. */
    public OptionalLong cpuNanos() {
        try {
            return parseStatCpuNanos(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** Used heap in bytes after a full collection, or empty when jcmd cannot attach. */
    public OptionalLong heapAfterGc() {
        if (jcmd("GC.run") == null) {
            return OptionalLong.empty();
        }
        String info = jcmd("GC.heap_info");
        return info == null ? OptionalLong.empty() : parseHeapUsed(info);
    }

    private OptionalLong statusField(String field) {
        try {
            return parseStatusField(Files.readString(Path.of("/proc", Long.toString(pid), "status")), field);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    private String jcmd(String command) {
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A "Name:   12345 kB" line of /proc/PID/status, in bytes. */
    static OptionalLong parseStatusField(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                long kb = Long.parseLong(parts[0]);
                return OptionalLong.of(kb * 1024);
            }
        }
        return OptionalLong.empty();
    }

    /** utime + stime of /proc/PID/stat (fields 14 and 15), counted after the ')' that ends the command name. */
    static OptionalLong parseStatCpuNanos(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return OptionalLong.empty();
        }
        String[] f = stat.substring(close + 2).trim().split("\\s+");
        // f[0] is field 3 (state): utime is field 14, stime 15
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return OptionalLong.of(ticks * (1_000_000_000L / TICKS_PER_SECOND));
    }

    /**
     * "garbage-first heap   total 262144K, used 41234K [...]" -> used bytes. Generational
     * collectors print one such line per generation (young, old): they add up.
     */
    static OptionalLong parseHeapUsed(String heapInfo) {
        Matcher m = HEAP_USED.matcher(heapInfo);
        long used = 0;
        boolean found = false;
        while (m.find()) {
            used += Long.parseLong(m.group(2)) * 1024;
            found = true;
        }
        return found ? OptionalLong.of(used) : OptionalLong.empty();
    }
}
