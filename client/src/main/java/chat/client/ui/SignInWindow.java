package chat.client.ui;

import chat.client.ChatClient;
import chat.client.DeviceId;
import chat.client.HeldEvents;
import chat.client.Offline;
import chat.client.SavedSession;
import chat.client.ServerRefused;
import chat.protocol.ErrorCode;
import chat.protocol.Usernames;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JPasswordField;
import javax.swing.JProgressBar;
import javax.swing.JTextField;
import javax.swing.SwingConstants;
import javax.swing.WindowConstants;

/** Sign in or create an account. Every check that can be made here is, before the server is asked. */
final class SignInWindow {

    /** Where the remembered session and the settings live. */
    record Files(Path session, Path settings) {
    }

    private final Files files;
    private final JFrame frame = new JFrame("Chat — Sign in");
    private final JTextField server = new JTextField(22);
    private final JTextField username = new JTextField(22);
    private final JPasswordField password = new JPasswordField(22);
    private final JTextField deviceName = new JTextField(22);
    private final JCheckBox remember = new JCheckBox("Remember me on this computer");
    private final JButton signIn = new JButton("Sign in");
    private final JButton register = new JButton("Create account");
    private final JLabel status = new JLabel(" ");
    private final JProgressBar busy = new JProgressBar();
    private ChatClient client;
    private HeldEvents early; // what the client hears before the main window exists
    private boolean handedOver; // the main window owns the client now
    private final CompletableFuture<DeviceId> device; // read (or made) off the EDT

    SignInWindow(Files files, String host, int port, Optional<SavedSession> saved) {
        this.files = files;
        Path deviceFile = DeviceId.fileBeside(files.session());
        this.device = CompletableFuture.supplyAsync(() -> {
            try {
                return DeviceId.loadOrCreate(deviceFile);
            } catch (java.io.IOException e) { // not kept: this run is a device of its own, the next makes another
                System.getLogger("chat.client").log(System.Logger.Level.WARNING, "cannot keep the device id", e);
                return new DeviceId(DeviceId.newId(), DeviceId.defaultName());
            }
        });
        Edt.when(device, (d, error) -> {
            if (d != null && deviceName.getText().isBlank()) {
                deviceName.setText(d.name());
            }
        });
        server.setText(saved.map(s -> s.host() + ":" + s.port()).orElse(host + ":" + port));
        saved.ifPresent(s -> username.setText(s.username()));
        remember.setSelected(saved.isPresent());
        server.setName("server");
        username.setName("username");
        password.setName("password");
        deviceName.setName("deviceName");
        remember.setName("remember");
        signIn.setName("signIn");
        register.setName("register");
        status.setName("status");
        build();
        saved.ifPresent(this::resume);
    }

    JFrame frame() {
        return frame;
    }

    /** The name of someone the server just signed out here: they sign in again with only their password to type. */
    SignInWindow forUser(String user) {
        username.setText(user);
        return this;
    }

    void show() {
        frame.setVisible(true);
        if (username.getText().isEmpty()) {
            username.requestFocusInWindow();
        } else {
            password.requestFocusInWindow();
        }
    }

    private void build() {
        JLabel title = new JLabel("Chat");
        title.setFont(title.getFont().deriveFont(Font.BOLD, 28f));
        title.setForeground(Theme.accent());
        JLabel subtitle = new JLabel("Sign in to talk with your people");
        subtitle.setForeground(Theme.secondaryText());

        JPanel form = new JPanel(new GridBagLayout());
        form.setBorder(BorderFactory.createEmptyBorder(28, 36, 24, 36));
        GridBagConstraints c = new GridBagConstraints();
        c.gridx = 0;
        c.gridy = 0;
        c.anchor = GridBagConstraints.WEST;
        c.fill = GridBagConstraints.HORIZONTAL;
        c.weightx = 1;
        c.insets = new Insets(2, 0, 2, 0);
        form.add(title, c);
        c.gridy++;
        c.insets = new Insets(0, 0, 18, 0);
        form.add(subtitle, c);
        c.insets = new Insets(6, 0, 2, 0);
        for (Object[] row : new Object[][] {{"Server", server}, {"Username", username}, {"Password", password},
            {"This device's name", deviceName}}) {
            c.gridy++;
            form.add(new JLabel((String) row[0]), c);
            c.gridy++;
            c.insets = new Insets(0, 0, 6, 0);
            form.add((java.awt.Component) row[1], c);
            c.insets = new Insets(6, 0, 2, 0);
        }
        server.putClientProperty("JTextField.placeholderText", "host:port");
        username.putClientProperty("JTextField.placeholderText", "letters, digits, . _ -");
        password.putClientProperty("JTextField.placeholderText", "8 characters or more");
        deviceName.putClientProperty("JTextField.placeholderText", "how your other devices list this one");
        password.putClientProperty("JPasswordField.showRevealButton", true);
        c.gridy++;
        form.add(remember, c);
        c.gridy++;
        c.insets = new Insets(16, 0, 6, 0);
        signIn.putClientProperty("JButton.buttonType", "default");
        signIn.setFont(signIn.getFont().deriveFont(Font.BOLD));
        form.add(signIn, c);
        c.gridy++;
        c.insets = new Insets(0, 0, 6, 0);
        form.add(register, c);
        c.gridy++;
        busy.setIndeterminate(true);
        busy.setVisible(false);
        busy.setPreferredSize(new Dimension(10, 4));
        form.add(busy, c);
        c.gridy++;
        status.setHorizontalAlignment(SwingConstants.LEFT);
        form.add(status, c);

        signIn.addActionListener(e -> signIn());
        register.addActionListener(e -> register());
        password.addActionListener(e -> signIn());
        frame.getRootPane().setDefaultButton(signIn);
        frame.getContentPane().add(form, BorderLayout.CENTER);
        frame.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        frame.addWindowListener(new java.awt.event.WindowAdapter() {
            @Override
            public void windowClosed(java.awt.event.WindowEvent e) {
                if (!handedOver) {
                    if (client != null) {
                        client.close();
                    }
                    ClientApp.windowClosed();
                }
            }
        });
        frame.pack();
        frame.setMinimumSize(new Dimension(420, frame.getHeight()));
        frame.setLocationRelativeTo(null);
    }

    private void signIn() {
        String user = checkedName();
        if (user == null || !checkedPassword() || clientForServer() == null) {
            return;
        }
        working("Signing in…");
        String pass = new String(password.getPassword());
        Edt.when(withDevice().thenCompose(c -> c.signIn(user, pass)), (signedIn, error) -> {
            if (error != null) {
                failed(error);
            } else {
                open(signedIn);
            }
        });
    }

    private void register() {
        String user = checkedName();
        if (user == null || !checkedPassword() || clientForServer() == null) {
            return;
        }
        working("Creating your account…");
        String pass = new String(password.getPassword());
        ChatClient c = client;
        Edt.when(withDevice().thenCompose(x -> c.register(user, pass)).thenCompose(r -> c.signIn(user, pass)), (signedIn, error) -> {
            if (error != null) {
                failed(error);
            } else {
                open(signedIn);
            }
        });
    }

    private void resume(SavedSession saved) {
        if (clientForServer() == null) {
            return;
        }
        working("Signing in as " + saved.username() + "…");
        ChatClient c = client;
        Edt.when(withDevice().thenCompose(x -> c.resume(saved.username(), saved.token())), (signedIn, error) -> {
            if (error == null) {
                open(signedIn);
            } else if (error instanceof ServerRefused r && ErrorCode.BAD_CREDENTIALS.is(r.code())) {
                // the token expired or was revoked; anything else (rate_limited, ...) passes, and the session stays
                CompletableFuture.runAsync(() -> SavedSession.forget(files.session()));
                idle("Your saved session has ended. Sign in again.", true);
            } else {
                failed(error);
            }
        });
    }

    private void open(ChatClient.SignedIn signedIn) {
        boolean keep = remember.isSelected();
        String host = client.host();
        int port = client.port();
        CompletableFuture.runAsync(() -> { // disk I/O stays off the EDT
            try {
                if (keep) {
                    new SavedSession(host, port, signedIn.username(), signedIn.token()).save(files.session());
                } else {
                    SavedSession.forget(files.session());
                }
            } catch (java.io.IOException e) {
                System.getLogger("chat.client").log(System.Logger.Level.WARNING, "cannot remember the session", e);
            }
        });
        MainWindow main = new MainWindow(client, early, signedIn.username(), files);
        main.show();
        handedOver = true;
        frame.dispose();
    }

    /**
     * The client, told this installation's device (level 3) under the name in the field; a changed
     * name is kept for next time. Token logins name the same device: the token belongs to it.
     */
    private CompletableFuture<ChatClient> withDevice() {
        ChatClient c = client;
        String typed = deviceName.getText().strip();
        Path deviceFile = DeviceId.fileBeside(files.session());
        return device.thenApplyAsync(d -> {
            DeviceId named = typed.isEmpty() || typed.equals(d.name()) ? d : d.named(typed);
            if (named != d) {
                try {
                    named.save(deviceFile);
                } catch (java.io.IOException e) {
                    System.getLogger("chat.client").log(System.Logger.Level.WARNING, "cannot keep the device name", e);
                }
            }
            c.useDevice(named.id(), named.name());
            return c;
        });
    }

    /** A client for the server in the field (a new one when the address changed), or null after a message. */
    private ChatClient clientForServer() {
        String text = server.getText().strip();
        int colon = text.lastIndexOf(':');
        String host = colon > 0 ? text.substring(0, colon) : text;
        int port = ClientApp.DEFAULT_PORT;
        try {
            if (colon > 0) {
                port = Integer.parseInt(text.substring(colon + 1));
            }
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            idle("Write the server as host:port, for example 127.0.0.1:12346.", true);
            return null;
        }
        if (client == null || !client.host().equals(host) || client.port() != port) {
            if (client != null) {
                client.close();
            }
            client = new ChatClient(host, port, ClientApp.tls);
            early = new HeldEvents();
            client.addListener(early); // before signing in: the replay right after login_response is not missed
        }
        return client;
    }

    private String checkedName() {
        String folded = Usernames.fold(username.getText().strip());
        if (folded == null) {
            idle("A username is 1 to 32 letters, digits, '.', '_' or '-'.", true);
            username.requestFocusInWindow();
        }
        return folded;
    }

    private boolean checkedPassword() {
        if (!Usernames.validPassword(new String(password.getPassword()))) {
            idle("A password has 8 to 1024 characters.", true);
            password.requestFocusInWindow();
            return false;
        }
        return true;
    }

    private void failed(Throwable error) {
        String text;
        if (error instanceof ServerRefused r) {
            ErrorCode code = ErrorCode.fromWire(r.code());
            String said = "The server said: " + r.getMessage();
            text = code == null ? said : switch (code) {
                case BAD_CREDENTIALS -> "Wrong username or password.";
                case USER_EXISTS -> "That username is taken. Pick another one, or sign in.";
                case INVALID_USERNAME -> "A username is 1 to 32 letters, digits, '.', '_' or '-'.";
                case INVALID_PASSWORD -> "A password has 8 to 1024 characters.";
                case TOO_MANY_DEVICES -> "You are signed in on too many devices at once. Sign out on one of them"
                        + " (Chat → Devices… there), then try again.";
                case BAD_FRAME -> "The server did not accept this device. " + said;
                case RATE_LIMITED -> r.retryAfterMillis() > 0
                        ? "The server is busy. Try again in " + (r.retryAfterMillis() + 999) / 1000 + " s."
                        : "Too many attempts. Wait a minute, then try again.";
                default -> said;
            };
        } else if (error instanceof Offline) {
            text = "Cannot reach the server at " + server.getText().strip() + ". Is it running?";
        } else {
            text = "Something went wrong: " + error.getMessage();
        }
        idle(text, true);
    }

    private void working(String what) {
        signIn.setEnabled(false);
        register.setEnabled(false);
        busy.setVisible(true);
        status.setForeground(Theme.secondaryText());
        status.setText(what);
    }

    private void idle(String message, boolean problem) {
        signIn.setEnabled(true);
        register.setEnabled(true);
        busy.setVisible(false);
        status.setForeground(problem ? Theme.ERROR : Theme.secondaryText());
        status.setText("<html>" + message.replace("&", "&amp;").replace("<", "&lt;") + "</html>");
        frame.pack();
    }
}
