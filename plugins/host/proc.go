package host

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/callboard/callboard/plugins/pluginv1"
	"github.com/callboard/callboard/plugins/sdk"
)

// Backoff between restarts of a plugin that keeps failing: 1 s, 2 s, 4 s…
// up to a minute.
const (
	firstBackoff = time.Second
	maxBackoff   = time.Minute
)

// proc is one plugin and, once started, its process.
type proc struct {
	h       *Host
	man     Manifest
	dir     string
	builtIn bool
	// bundled: the program is the app's own executable (Options.Bundled).
	bundled bool
	log     *ring

	mu       sync.Mutex
	client   *plugin.Client
	rpc      pluginv1.PluginClient
	desc     *pluginv1.Manifest
	state    State
	lastErr  string
	failures int
	retryAt  time.Time
}

func (p *proc) info() Info {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client != nil && p.client.Exited() && p.state == Running {
		p.state = Crashed
	}
	return Info{Manifest: p.man, Dir: p.dir, BuiltIn: p.builtIn, State: p.state, LastError: p.lastErr, Described: p.desc}
}

// Unavailable is the error of a call to a plugin that could not answer:
// its text is what the plugin's card shows.
type Unavailable struct {
	Plugin string
	Reason string
}

func (u *Unavailable) Error() string { return "plugin unavailable: " + u.Reason }

// ready returns the running plugin's client, starting it when needed.
func (p *proc) ready(ctx context.Context) (pluginv1.PluginClient, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state == Broken {
		return nil, &Unavailable{p.man.Name, p.lastErr}
	}
	if p.client != nil && !p.client.Exited() {
		return p.rpc, nil
	}
	if p.client != nil {
		p.crashedLocked(p.exitReason())
	}
	if wait := p.retryAt.Sub(p.h.opts.Now()); wait > 0 {
		return nil, &Unavailable{p.man.Name, fmt.Sprintf("%s (trying again in %s)", p.lastErr, wait.Round(time.Second))}
	}
	if err := p.startLocked(ctx); err != nil {
		p.crashedLocked(err.Error())
		return nil, &Unavailable{p.man.Name, p.lastErr}
	}
	return p.rpc, nil
}

// startLocked starts the process, checks its checksum, shakes hands and
// asks it to describe itself.
func (p *proc) startLocked(ctx context.Context) error {
	cmd := exec.Command(p.man.Command, p.man.Args...)
	var secure *plugin.SecureConfig
	if !p.bundled {
		sum, _ := hex.DecodeString(p.man.SHA256)
		secure = &plugin.SecureConfig{Checksum: sum, Hash: sha256.New()}
		cmd = exec.Command(filepath.Join(p.dir, filepath.FromSlash(p.man.Command)), p.man.Args...)
		cmd.Dir = p.dir
	}
	cmd.Env = p.h.opts.Env
	endWithHost(cmd)
	start := time.Now()
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  plugin.HandshakeConfig{MagicCookieKey: sdk.Handshake.MagicCookieKey, MagicCookieValue: sdk.Handshake.MagicCookieValue},
		VersionedPlugins: map[int]plugin.PluginSet{sdk.ProtocolVersion: {sdk.PluginKey: &sdk.GRPCPlugin{}}},
		Cmd:              cmd,
		SkipHostEnv:      true,
		SecureConfig:     secure,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           hclog.NewNullLogger(),
		Stderr:           p.log,
		SyncStderr:       p.log,
		SyncStdout:       io.Discard,
		StartTimeout:     p.h.opts.StartTimeout,
	})
	conn, err := client.Client()
	if err != nil {
		client.Kill()
		return p.startError(err)
	}
	raw, err := conn.Dispense(sdk.PluginKey)
	if err != nil {
		client.Kill()
		return fmt.Errorf("it does not serve the callboard plugin: %w", err)
	}
	rpc, ok := raw.(pluginv1.PluginClient)
	if !ok {
		client.Kill()
		return fmt.Errorf("it does not serve the callboard plugin")
	}
	cctx, cancel := context.WithTimeout(ctx, p.h.opts.CallTimeout)
	defer cancel()
	desc, err := rpc.Describe(cctx, &pluginv1.DescribeRequest{})
	if err != nil {
		client.Kill()
		return fmt.Errorf("it did not describe itself: %s", callError(err, p.h.opts.CallTimeout))
	}
	if desc.GetName() != p.man.Name {
		client.Kill()
		return fmt.Errorf("it says it is %q, its manifest says %q", desc.GetName(), p.man.Name)
	}
	p.client, p.rpc, p.desc, p.state, p.lastErr = client, rpc, desc, Running, ""
	p.log.note(fmt.Sprintf("started %s %s in %d ms", p.man.Name, desc.GetVersion(), time.Since(start).Milliseconds()))
	p.h.opts.Log.Info("plugin started", "plugin", p.man.Name, "version", desc.GetVersion(), "ms", time.Since(start).Milliseconds())
	p.h.changedLater()
	return nil
}

// startError says in plain words why a start failed.
func (p *proc) startError(err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, plugin.ErrChecksumsDoNotMatch):
		return fmt.Errorf("its program does not match the sha256 of its manifest; not started")
	case strings.Contains(msg, "error verifying checksum"):
		return fmt.Errorf("its program cannot be read: %s", strings.TrimPrefix(msg, "error verifying checksum: "))
	case strings.Contains(msg, "incompatible API version"):
		return fmt.Errorf("it speaks another plugin protocol than this Callboard (%s); rebuild it with an SDK of protocol %d", strings.TrimPrefix(msg, "incompatible API version with plugin. "), sdk.ProtocolVersion)
	case strings.Contains(msg, "Unrecognized remote plugin message: \n"), strings.Contains(msg, "exited before we could connect"):
		return fmt.Errorf("it exited at start%s", p.lastLine())
	case strings.Contains(msg, "Unrecognized remote plugin message"):
		line, _, _ := strings.Cut(strings.TrimPrefix(msg, "Unrecognized remote plugin message: "), "\n")
		return fmt.Errorf("it did not shake hands as a Callboard plugin (it printed %q)", truncate(line, 80))
	case strings.Contains(msg, "timeout while waiting for plugin to start"):
		return fmt.Errorf("it did not start within %s", p.h.opts.StartTimeout)
	}
	return fmt.Errorf("it could not be started: %w", err)
}

// call runs fn against the plugin with the call deadline; a plugin that
// exits or overruns it is stopped, marked crashed, and started again
// after a backoff.
func (p *proc) call(ctx context.Context, fn func(ctx context.Context, c pluginv1.PluginClient) error) error {
	return p.callWithin(ctx, p.h.opts.CallTimeout, fn)
}

// callWithin is call with its own deadline.
func (p *proc) callWithin(ctx context.Context, timeout time.Duration, fn func(ctx context.Context, c pluginv1.PluginClient) error) error {
	c, err := p.ready(ctx)
	if err != nil {
		return err
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	err = fn(cctx, c)
	if err == nil {
		p.mu.Lock()
		p.failures = 0
		p.mu.Unlock()
		return nil
	}
	if ctx.Err() != nil {
		// The caller went away: not the plugin's fault.
		return ctx.Err()
	}
	if status.Code(err) == codes.Unavailable {
		// The connection broke: most likely the process is going away;
		// give it a moment so the reason is its exit and last words.
		for i := 0; i < 50 && !p.exited(); i++ {
			time.Sleep(10 * time.Millisecond)
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.client != nil && p.client.Exited():
		p.crashedLocked(p.exitReason())
	case errors.Is(cctx.Err(), context.DeadlineExceeded), status.Code(err) == codes.DeadlineExceeded:
		// A plugin that hangs may hold on to anything: stop it. (Its side
		// may report the deadline a moment before ours does.)
		p.crashedLocked(fmt.Sprintf("it did not answer within %s", timeout))
	case status.Code(err) == codes.Unavailable:
		p.crashedLocked("the connection to it broke" + p.lastLine())
	default:
		// The plugin answered with an error: it is working.
		return errors.New(callError(err, timeout))
	}
	return &Unavailable{p.man.Name, p.lastErr}
}

// crashedLocked records a failure and stops the process.
func (p *proc) crashedLocked(reason string) {
	if p.client != nil {
		p.client.Kill()
	}
	p.client, p.rpc = nil, nil
	p.state, p.lastErr = Crashed, reason
	if p.failures < 30 {
		p.failures++
	}
	backoff := min(firstBackoff<<(p.failures-1), maxBackoff)
	p.retryAt = p.h.opts.Now().Add(backoff)
	p.log.note("failed: " + reason)
	p.h.opts.Log.Warn("plugin failed", "plugin", p.man.Name, "reason", reason, "retry in", backoff)
	p.h.changedLater()
}

func (p *proc) exited() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.client == nil || p.client.Exited()
}

func (p *proc) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client != nil {
		p.client.Kill()
		p.client, p.rpc = nil, nil
	}
	if p.state == Running || p.state == Crashed {
		p.state = Stopped
	}
	p.failures, p.retryAt = 0, time.Time{}
}

func (p *proc) exitReason() string {
	return "it exited" + p.lastLine()
}

// lastLine is the plugin's last stderr line, as a suffix for a reason.
func (p *proc) lastLine() string {
	if l := p.log.lastOutput(); l != "" {
		return ": " + truncate(l, 200)
	}
	return ""
}

// callError is the plugin's own error, without gRPC's wrapping.
func callError(err error, timeout time.Duration) string {
	s, ok := status.FromError(err)
	if !ok {
		return err.Error()
	}
	switch s.Code() {
	case codes.DeadlineExceeded:
		return fmt.Sprintf("it did not answer within %s", timeout)
	case codes.Unimplemented:
		return "it does not serve this: " + s.Message()
	case codes.ResourceExhausted:
		return "its answer is too large: " + s.Message()
	}
	return s.Message()
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
