package chat.client.ui;

import chat.client.ChatClient;
import chat.client.model.ContactEntry;
import chat.protocol.GroupNames;
import chat.protocol.ServerFrame;
import chat.protocol.Usernames;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.GridLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.swing.BorderFactory;
import javax.swing.DefaultListModel;
import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.ListSelectionModel;
import javax.swing.WindowConstants;

/**
 * A group's info panel: its members and their roles. Admins can add and remove people, make or
 * unmake admins and rename the group (group_update); everyone can leave (leave_group). The
 * server's `group` frame, not this panel, changes what it shows: {@link #refresh} after each.
 */
final class GroupInfoDialog {

    private final JDialog dialog;
    private final ChatClient client;
    private final String me;
    private final ContactEntry group;
    private final JLabel title = new JLabel();
    private final DefaultListModel<ServerFrame.Member> rows = new DefaultListModel<>();
    private final JList<ServerFrame.Member> list = new JList<>(rows);
    private final JButton add = new JButton("Add people…");
    private final JButton remove = new JButton("Remove");
    private final JButton admin = new JButton("Make admin");
    private final JButton rename = new JButton("Rename…");
    private final JButton leave = new JButton("Leave group");
    private final JLabel status = new JLabel(" ");

    GroupInfoDialog(JFrame owner, ChatClient client, String me, ContactEntry group) {
        this.client = client;
        this.me = me;
        this.group = group;
        dialog = new JDialog(owner, "Group info", false);
        dialog.setName("groupInfo");
        title.setName("groupTitle");
        title.setFont(title.getFont().deriveFont(java.awt.Font.BOLD, 16f));
        list.setName("groupMembers");
        list.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        list.setCellRenderer((l, m, index, selected, focus) -> {
            JLabel row = new JLabel((m.username().equals(me) ? m.username() + " (you)" : m.username())
                    + (ServerFrame.Member.ADMIN.equals(m.role()) ? "  — admin" : ""));
            row.setBorder(BorderFactory.createEmptyBorder(4, 8, 4, 8));
            row.setOpaque(true);
            row.setBackground(selected ? l.getSelectionBackground() : l.getBackground());
            row.setForeground(selected ? l.getSelectionForeground() : l.getForeground());
            return row;
        });
        list.addListSelectionListener(e -> enable());
        add.setName("groupAdd");
        remove.setName("groupRemove");
        admin.setName("groupAdmin");
        rename.setName("groupRename");
        leave.setName("groupLeave");
        add.addActionListener(e -> addPeople());
        remove.addActionListener(e -> selected().ifPresent(m -> {
            working("Removing " + m.username() + "…");
            update(null, List.of(m.username()), null, null);
        }));
        admin.addActionListener(e -> selected().ifPresent(this::toggleAdmin));
        rename.addActionListener(e -> rename());
        leave.addActionListener(e -> leave());

        JPanel buttons = new JPanel(new GridLayout(0, 1, 0, 6));
        for (JButton b : List.of(add, remove, admin, rename, leave)) {
            buttons.add(b);
        }
        JScrollPane scroll = new JScrollPane(list);
        scroll.setPreferredSize(new Dimension(260, 260));
        JPanel content = new JPanel(new BorderLayout(12, 10));
        content.setBorder(BorderFactory.createEmptyBorder(14, 16, 14, 16));
        content.add(title, BorderLayout.NORTH);
        content.add(scroll, BorderLayout.CENTER);
        JPanel side = new JPanel(new BorderLayout());
        side.add(buttons, BorderLayout.NORTH);
        content.add(side, BorderLayout.EAST);
        status.setName("groupStatus");
        content.add(status, BorderLayout.SOUTH);
        dialog.getContentPane().add(content);
        dialog.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        refresh();
        dialog.pack();
        dialog.setLocationRelativeTo(owner);
    }

    void show() {
        dialog.setVisible(true);
    }

    void dispose() {
        dialog.dispose();
    }

    boolean showing() {
        return dialog.isDisplayable();
    }

    /** The server refused the last change: why, in words, under the list. */
    void refused(String why) {
        status.setForeground(Theme.ERROR);
        status.setText(why);
    }

    private void working(String what) {
        status.setForeground(Theme.secondaryText());
        status.setText(what);
    }

    /** The group as the server last said: members, roles, and what this user may do now. */
    void refresh() {
        status.setText(" "); // a change asked for has been made (or another admin's came)
        String keep = selected().map(ServerFrame.Member::username).orElse(null);
        title.setText(group.title() + " — " + group.members().size() + " members");
        rows.clear();
        group.members().stream()
                .sorted((a, b) -> ServerFrame.Member.ADMIN.equals(a.role()) == ServerFrame.Member.ADMIN.equals(b.role())
                        ? a.username().compareTo(b.username()) : ServerFrame.Member.ADMIN.equals(a.role()) ? -1 : 1)
                .forEach(rows::addElement);
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).username().equals(keep)) {
                list.setSelectedIndex(i);
            }
        }
        enable();
    }

    private void enable() {
        boolean isAdmin = group.member() && group.admin(me);
        var chosen = selected();
        boolean other = chosen.isPresent() && !chosen.get().username().equals(me);
        add.setEnabled(isAdmin);
        rename.setEnabled(isAdmin);
        remove.setEnabled(isAdmin && other);
        admin.setEnabled(isAdmin && chosen.isPresent());
        admin.setText(chosen.isPresent() && ServerFrame.Member.ADMIN.equals(chosen.get().role()) ? "Remove admin" : "Make admin");
        leave.setEnabled(group.member());
        String why = isAdmin ? null : group.member() ? "Only the group's admins can change it" : "You are no longer a member";
        for (JButton b : List.of(add, remove, admin, rename)) {
            b.setToolTipText(why);
        }
    }

    private java.util.Optional<ServerFrame.Member> selected() {
        return java.util.Optional.ofNullable(list.getSelectedValue());
    }

    private void addPeople() {
        String typed = JOptionPane.showInputDialog(dialog, "Usernames to add (comma-separated):", "Add people",
                JOptionPane.PLAIN_MESSAGE);
        if (typed == null || typed.isBlank()) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (String t : typed.split("[,\\s]+")) {
            String folded = Usernames.fold(t.strip());
            if (folded == null) {
                refused("“" + t.strip() + "” cannot be a username: 1 to 32 letters, digits, '.', '_' or '-'.");
                return;
            }
            names.add(folded);
        }
        working("Adding " + String.join(", ", names) + "…");
        update(names, null, null, null);
    }

    private void toggleAdmin(ServerFrame.Member m) {
        List<String> admins = new ArrayList<>(group.members().stream()
                .filter(x -> ServerFrame.Member.ADMIN.equals(x.role())).map(ServerFrame.Member::username).toList());
        if (!admins.remove(m.username())) {
            admins.add(m.username());
        }
        if (admins.isEmpty()) {
            refused("A group needs at least one admin.");
            return;
        }
        working(admins.contains(m.username()) ? "Making " + m.username() + " an admin…" : "Removing " + m.username() + " as admin…");
        update(null, null, admins, null); // the complete new list
    }

    private void rename() {
        Object typed = JOptionPane.showInputDialog(dialog, "New name:", "Rename group", JOptionPane.PLAIN_MESSAGE,
                null, null, group.title());
        if (typed == null) {
            return;
        }
        String name = typed.toString().strip();
        if (!GroupNames.valid(name)) {
            refused("A group name has 1 to 64 characters.");
            return;
        }
        working("Renaming the group…");
        update(null, null, null, name);
    }

    private void leave() {
        int choice = JOptionPane.showConfirmDialog(dialog, "Leave “" + group.title() + "”? You keep what was said until now.",
                "Leave group", JOptionPane.OK_CANCEL_OPTION, JOptionPane.QUESTION_MESSAGE);
        if (choice == JOptionPane.OK_OPTION) {
            working("Leaving the group…");
            offlineCheck(client.leaveGroup(group.groupId()));
        }
    }

    private void update(List<String> addNames, List<String> removeNames, List<String> admins, String name) {
        offlineCheck(client.updateGroup(group.groupId(), addNames, removeNames, admins, name));
    }

    private void offlineCheck(CompletableFuture<Boolean> sent) {
        Edt.when(sent, (ok, error) -> {
            if (error != null || !ok) {
                refused("You are offline. Try again when the connection is back.");
            }
        });
    }
}
