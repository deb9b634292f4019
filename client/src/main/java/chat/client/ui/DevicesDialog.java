package chat.client.ui;

import chat.client.ChatClient;
import chat.client.model.Times;
import chat.protocol.ServerFrame;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.util.List;
import java.util.function.LongSupplier;
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
 * Chat → Devices…: every device this user is signed in on (its name, online or when last seen, and
 * which one is this), and "Sign out this device" for another one (revoke_device: its token ends and
 * its window returns to the sign-in window). This device signs out with Chat → Sign out.
 */
final class DevicesDialog {

    private final JDialog dialog;
    private final ChatClient client;
    private final Times times;
    private final LongSupplier clock;
    private final DefaultListModel<ServerFrame.DeviceInfo> rows = new DefaultListModel<>();
    private final JList<ServerFrame.DeviceInfo> list = new JList<>(rows);
    private final JLabel status = new JLabel(" ");
    private final JButton revoke = new JButton("Sign out this device");

    DevicesDialog(JFrame owner, ChatClient client, Times times, LongSupplier clock) {
        this.client = client;
        this.times = times;
        this.clock = clock;
        dialog = new JDialog(owner, "Devices", false);
        list.setName("devices");
        list.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        list.setCellRenderer((l, d, index, selected, focus) -> {
            JLabel row = new JLabel("<html><b>" + escape(d.deviceName() != null ? d.deviceName() : d.device()) + "</b>"
                    + (d.current() ? " — this device" : "") + "<br>" + escape(presence(d)) + "</html>");
            row.setBorder(BorderFactory.createEmptyBorder(6, 10, 6, 10));
            row.setOpaque(true);
            row.setBackground(selected ? l.getSelectionBackground() : l.getBackground());
            row.setForeground(selected ? l.getSelectionForeground() : l.getForeground());
            return row;
        });
        list.addListSelectionListener(e -> revoke.setEnabled(list.getSelectedValue() != null && !list.getSelectedValue().current()));
        revoke.setName("revokeDevice");
        revoke.setEnabled(false);
        revoke.addActionListener(e -> revokeSelected());
        JButton close = new JButton("Close");
        close.addActionListener(e -> dialog.dispose());
        status.setName("devicesStatus");
        JPanel buttons = new JPanel();
        buttons.add(revoke);
        buttons.add(close);
        JScrollPane scroll = new JScrollPane(list);
        scroll.setPreferredSize(new Dimension(380, 240));
        JPanel content = new JPanel(new BorderLayout(0, 8));
        content.setBorder(BorderFactory.createEmptyBorder(14, 16, 10, 16));
        content.add(new JLabel("Where you are signed in"), BorderLayout.NORTH);
        content.add(scroll, BorderLayout.CENTER);
        JPanel bottom = new JPanel(new BorderLayout());
        bottom.add(status, BorderLayout.NORTH);
        bottom.add(buttons, BorderLayout.SOUTH);
        content.add(bottom, BorderLayout.SOUTH);
        dialog.getContentPane().add(content);
        dialog.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        dialog.pack();
        dialog.setLocationRelativeTo(owner);
    }

    void show() {
        dialog.setVisible(true);
        status.setText("Loading…");
        Edt.when(client.devices(), this::showDevices);
    }

    private void showDevices(List<ServerFrame.DeviceInfo> devices, Throwable error) {
        if (error != null) {
            status.setForeground(Theme.ERROR);
            status.setText(error instanceof chat.client.Offline ? "You are offline: the list comes when the connection is back."
                    : "The server could not list the devices: " + error.getMessage());
            return;
        }
        rows.clear();
        devices.stream().sorted((a, b) -> Boolean.compare(b.current(), a.current())).forEach(rows::addElement);
        status.setForeground(Theme.secondaryText());
        status.setText(devices.size() == 1 ? "Only this device." : devices.size() + " devices.");
    }

    private void revokeSelected() {
        ServerFrame.DeviceInfo d = list.getSelectedValue();
        if (d == null || d.current()) {
            return;
        }
        String name = d.deviceName() != null ? d.deviceName() : d.device();
        int choice = JOptionPane.showConfirmDialog(dialog, "Sign out “" + name + "”? It will have to sign in again.",
                "Sign out a device", JOptionPane.OK_CANCEL_OPTION, JOptionPane.QUESTION_MESSAGE);
        if (choice == JOptionPane.OK_OPTION) {
            status.setText("Signing it out…");
            Edt.when(client.revokeDevice(d.device()), this::showDevices);
        }
    }

    private String presence(ServerFrame.DeviceInfo d) {
        return d.online() ? "online" : times.lastSeen(d.lastSeen(), clock.getAsLong());
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;");
    }
}
