package chat.client.ui;

import chat.protocol.GroupNames;
import chat.protocol.Usernames;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.GridLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JDialog;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextField;
import javax.swing.WindowConstants;

/**
 * Chat → New group…: a name and the people in it (a checkbox per contact, and a field for anyone
 * else by username). Everything is checked here before the server is asked; while the server makes
 * the group the dialog says so, and a refusal shows in it, with what was typed still there to fix.
 */
final class NewGroupDialog {

    private final JDialog dialog;
    private final JTextField name = new JTextField(24);
    private final JTextField others = new JTextField(24);
    private final Map<String, JCheckBox> boxes = new LinkedHashMap<>();
    private final JLabel problem = new JLabel(" ");
    private final JButton ok = new JButton("Create group");

    private NewGroupDialog(JFrame owner, List<String> people, BiConsumer<String, List<String>> create) {
        dialog = new JDialog(owner, "New group", false); // not modal: the conversation stays usable
        name.setName("groupName");
        name.putClientProperty("JTextField.placeholderText", "the group's name");
        others.setName("groupOthers");
        others.putClientProperty("JTextField.placeholderText", "more people: usernames, comma-separated");
        JPanel list = new JPanel(new GridLayout(0, 1, 0, 2));
        for (String p : people) {
            JCheckBox box = new JCheckBox(p);
            box.setName("member-" + p);
            boxes.put(p, box);
            list.add(box);
        }
        if (people.isEmpty()) {
            list.add(new JLabel("No contacts yet: name the people below."));
        }
        JScrollPane scroll = new JScrollPane(list);
        scroll.setPreferredSize(new Dimension(320, Math.min(240, 30 + 28 * Math.max(1, people.size()))));
        problem.setName("groupProblem");
        problem.setForeground(Theme.ERROR);
        ok.setName("createGroup");
        ok.putClientProperty("JButton.buttonType", "default");
        ok.addActionListener(e -> {
            List<String> members = members();
            String n = name.getText().strip();
            if (!GroupNames.valid(n)) {
                problem.setText("A group name has 1 to 64 characters.");
                name.requestFocusInWindow();
            } else if (members == null) {
                problem.setText("A username is 1 to 32 letters, digits, '.', '_' or '-'.");
                others.requestFocusInWindow();
            } else if (members.isEmpty()) {
                problem.setText("Pick at least one person for the group.");
            } else {
                working(true);
                problem.setForeground(Theme.secondaryText());
                problem.setText("Creating the group…");
                create.accept(n, members);
            }
        });
        JButton cancel = new JButton("Cancel");
        cancel.addActionListener(e -> dialog.dispose());
        JPanel buttons = new JPanel();
        buttons.add(cancel);
        buttons.add(ok);

        JPanel form = new JPanel(new BorderLayout(0, 8));
        form.setBorder(BorderFactory.createEmptyBorder(14, 16, 10, 16));
        JPanel top = new JPanel(new BorderLayout(0, 4));
        top.add(new JLabel("Name"), BorderLayout.NORTH);
        top.add(name, BorderLayout.CENTER);
        top.add(new JLabel("Members"), BorderLayout.SOUTH);
        JPanel bottom = new JPanel(new BorderLayout(0, 4));
        bottom.add(others, BorderLayout.NORTH);
        bottom.add(problem, BorderLayout.CENTER);
        bottom.add(buttons, BorderLayout.SOUTH);
        form.add(top, BorderLayout.NORTH);
        form.add(scroll, BorderLayout.CENTER);
        form.add(bottom, BorderLayout.SOUTH);
        dialog.getContentPane().add(form);
        dialog.getRootPane().setDefaultButton(ok);
        dialog.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        dialog.pack();
        dialog.setLocationRelativeTo(owner);
    }

    /**
     * Opens the dialog; `create` gets the name and the members (the creator is made admin by the
     * server), then the caller says how it went: {@link #done} or {@link #refused}.
     */
    static NewGroupDialog ask(JFrame owner, List<String> people, BiConsumer<String, List<String>> create) {
        NewGroupDialog d = new NewGroupDialog(owner, people, create);
        d.dialog.setVisible(true);
        return d;
    }

    /** The group exists: the dialog goes. */
    void done() {
        dialog.dispose();
    }

    /** Not made: why, in the dialog, everything typed still there. */
    void refused(String why) {
        working(false);
        problem.setForeground(Theme.ERROR);
        problem.setText("<html>" + why.replace("&", "&amp;").replace("<", "&lt;") + "</html>");
    }

    boolean showing() {
        return dialog.isDisplayable();
    }

    private void working(boolean busy) {
        ok.setEnabled(!busy);
        name.setEnabled(!busy);
        others.setEnabled(!busy);
        boxes.values().forEach(b -> b.setEnabled(!busy));
    }

    /** The ticked people and those typed in, case-folded; null if a typed name cannot be a username. */
    private List<String> members() {
        List<String> out = new ArrayList<>();
        boxes.forEach((p, box) -> {
            if (box.isSelected()) {
                out.add(p);
            }
        });
        for (String typed : others.getText().split("[,\\s]+")) {
            if (typed.isBlank()) {
                continue;
            }
            String folded = Usernames.fold(typed.strip());
            if (folded == null) {
                return null;
            }
            if (!out.contains(folded)) {
                out.add(folded);
            }
        }
        return out;
    }
}
