package chat.client.ui;

import chat.client.model.ContactEntry;
import chat.client.model.ConversationModel;
import chat.client.model.Times;
import chat.client.model.TypingLine;
import chat.protocol.ServerFrame;
import java.awt.BorderLayout;
import java.awt.Font;
import java.awt.event.ActionEvent;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.util.List;
import java.util.function.Consumer;
import javax.swing.AbstractAction;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollBar;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.KeyStroke;
import javax.swing.ScrollPaneConstants;
import javax.swing.SwingUtilities;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;

/**
 * The open conversation: who (online, typing, or when last seen; on the contact list or not), the
 * messages, and the input. Enter sends, Shift+Enter starts a new line. Scrolling to the top asks
 * for older messages.
 */
final class ConversationPanel extends JPanel {

    /** What the panel asks of the window. */
    interface Actions {
        void send(String peer, String text);

        void edited(String peer, boolean empty);

        void wantOlder(String peer);

        void setListed(String peer, boolean listed);

        /** The group's info panel: members, roles, and what admins may change. */
        void groupInfo(String key);

        /** Who of the group has one of this user's messages, and who has read it. */
        void receiptsOf(String key, long msgId);
    }

    private final Times times;
    private final Actions actions;
    private final JLabel name = new JLabel();
    private final JLabel presence = new JLabel();
    private final JButton contact = new JButton();
    private final MessageList messages;
    private final JScrollPane scroll;
    private final JTextArea input = new JTextArea(2, 30);
    private final JButton send = new JButton("Send");
    private String peer;
    private boolean typing;
    private boolean listed;
    private boolean group;

    ConversationPanel(Times times, Actions actions) {
        super(new BorderLayout());
        this.times = times;
        this.actions = actions;
        messages = new MessageList(times, line -> {
            if (peer != null) {
                actions.receiptsOf(peer, line.msgId());
            }
        });
        scroll = new JScrollPane(messages, ScrollPaneConstants.VERTICAL_SCROLLBAR_AS_NEEDED,
                ScrollPaneConstants.HORIZONTAL_SCROLLBAR_NEVER);
        scroll.setBorder(null);
        scroll.getViewport().setBackground(Theme.chatBackground());
        scroll.getVerticalScrollBar().setUnitIncrement(24);
        scroll.getVerticalScrollBar().addAdjustmentListener(e -> {
            if (!e.getValueIsAdjusting() && e.getValue() == 0 && peer != null
                    && scroll.getVerticalScrollBar().getMaximum() > scroll.getViewport().getHeight()) {
                actions.wantOlder(peer);
            }
        });

        name.setName("conversationName");
        name.setFont(name.getFont().deriveFont(Font.BOLD, 16f));
        presence.setName("conversationStatus");
        presence.setFont(presence.getFont().deriveFont(12f));
        contact.setName("contactToggle");
        contact.putClientProperty("JButton.buttonType", "borderless");
        contact.setFocusable(false);
        contact.addActionListener(e -> {
            if (peer != null && group) {
                actions.groupInfo(peer);
            } else if (peer != null) {
                actions.setListed(peer, !listed);
            }
        });
        JPanel who = new JPanel(new BorderLayout());
        who.setOpaque(false);
        who.add(name, BorderLayout.NORTH);
        who.add(presence, BorderLayout.SOUTH);
        JPanel header = new JPanel(new BorderLayout(12, 0));
        header.setBorder(BorderFactory.createEmptyBorder(10, 16, 10, 10));
        header.add(who, BorderLayout.CENTER);
        header.add(contact, BorderLayout.EAST);

        input.setName("input");
        input.setFont(Bubble.TEXT);
        input.setLineWrap(true);
        input.setWrapStyleWord(true);
        input.putClientProperty("JTextField.placeholderText", "Write a message");
        input.getInputMap().put(KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, 0), "send");
        input.getInputMap().put(KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, InputEvent.SHIFT_DOWN_MASK), "newline");
        input.getActionMap().put("send", action(e -> sendNow()));
        input.getActionMap().put("newline", action(e -> input.replaceSelection("\n")));
        input.getDocument().addDocumentListener(new DocumentListener() {
            @Override
            public void insertUpdate(DocumentEvent e) {
                changed();
            }

            @Override
            public void removeUpdate(DocumentEvent e) {
                changed();
            }

            @Override
            public void changedUpdate(DocumentEvent e) {
            }
        });
        send.setName("send");
        send.addActionListener(e -> sendNow());
        JScrollPane inputScroll = new JScrollPane(input);
        inputScroll.setBorder(BorderFactory.createEmptyBorder());
        JPanel composer = new JPanel(new BorderLayout(8, 0));
        composer.setBorder(BorderFactory.createEmptyBorder(8, 12, 10, 12));
        composer.add(inputScroll, BorderLayout.CENTER);
        composer.add(send, BorderLayout.EAST);

        add(header, BorderLayout.NORTH);
        add(scroll, BorderLayout.CENTER);
        add(composer, BorderLayout.SOUTH);
    }

    String peer() {
        return peer;
    }

    void open(String newPeer) {
        if (!newPeer.equals(peer)) {
            peer = newPeer;
            input.setText("");
        }
        SwingUtilities.invokeLater(input::requestFocusInWindow);
    }

    /** Redraws the messages; keeps the view at the bottom if it was there, or on the same message when older ones arrive above. */
    void render(ConversationModel model, long now) {
        JScrollBar bar = scroll.getVerticalScrollBar();
        boolean atBottom = bar.getValue() + bar.getVisibleAmount() >= bar.getMaximum() - 30;
        int fromBottom = bar.getMaximum() - bar.getValue();
        messages.show(model.lines(), model.loadingOlder(), model.group(), now);
        scroll.getViewport().setBackground(Theme.chatBackground());
        scroll.validate();
        SwingUtilities.invokeLater(() -> {
            JScrollBar b = scroll.getVerticalScrollBar();
            b.setValue(atBottom ? b.getMaximum() : b.getMaximum() - fromBottom);
        });
    }

    /** True when the messages are taller than the view, so scrolling up (for older ones) is possible. */
    boolean overflowing() {
        return scroll.getVerticalScrollBar().getMaximum() > scroll.getViewport().getHeight();
    }

    void header(ContactEntry entry, long now) {
        group = entry.group();
        if (group) {
            groupHeader(entry);
            return;
        }
        name.setText(entry.peer());
        listed = entry.listed();
        contact.setText(listed ? "Remove from contacts" : "Add to contacts");
        typing = entry.typing();
        if (typing) {
            presence.setText("typing…");
            presence.setForeground(Theme.accent());
        } else {
            presence.setText(entry.online() ? "online" : times.lastSeen(entry.lastSeen(), now));
            presence.setForeground(entry.online() ? Theme.accent() : Theme.secondaryText());
        }
    }

    /** A group's header: its name, then who is typing, or who is in it. */
    private void groupHeader(ContactEntry entry) {
        name.setText(entry.title());
        contact.setText("Group info");
        String typers = TypingLine.text(entry.typers());
        if (typers != null) {
            presence.setText(typers);
            presence.setForeground(Theme.accent());
        } else if (!entry.member()) {
            presence.setText("You are no longer a member of this group");
            presence.setForeground(Theme.secondaryText());
        } else {
            presence.setText(membersLine(entry));
            presence.setForeground(Theme.secondaryText());
        }
    }

    private static String membersLine(ContactEntry entry) {
        List<String> names = entry.members().stream().map(ServerFrame.Member::username).sorted().toList();
        String all = String.join(", ", names);
        return names.isEmpty() ? "group" : all.length() > 90 ? names.size() + " members" : all;
    }

    /** A group this user left or was removed from can be read, not written to; what is typed stays in the box. */
    void canWrite(boolean allowed) {
        input.setEditable(allowed);
        send.setEnabled(allowed);
        input.putClientProperty("JTextField.placeholderText",
                allowed ? "Write a message" : "You can no longer write to this group");
        input.repaint();
    }

    private void sendNow() {
        String text = input.getText().strip();
        if (peer == null || text.isEmpty() || !input.isEditable()) {
            return;
        }
        input.setText("");
        actions.send(peer, text);
    }

    private void changed() {
        if (peer != null) {
            actions.edited(peer, input.getText().isBlank());
        }
    }

    private static AbstractAction action(Consumer<ActionEvent> body) {
        return new AbstractAction() {
            @Override
            public void actionPerformed(ActionEvent e) {
                body.accept(e);
            }
        };
    }
}
